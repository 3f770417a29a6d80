-- True cost. A record keeps its tokens by kind (cache reads and writes are parts of input_tokens, one-hour cache
-- writes part of the cache writes, reasoning part of output_tokens), its service tier (NULL: standard), where its
-- cost came from (cost_source 0 REPORTED by the sender, 1 CATALOG computed at ingest, 2 UNPRICED: no price
-- known, cost_usd 0 until repriced), the catalog's figure beside a reported cost, and the price entry used.
-- Existing records were all reported: source 0, no catalog figure; so the rollups' new sums are 0 for them, as
-- they are, and no rebuild is needed.
ALTER TABLE usage_record ADD COLUMN cache_read_tokens INTEGER;
ALTER TABLE usage_record ADD COLUMN cache_write_tokens INTEGER;
ALTER TABLE usage_record ADD COLUMN cache_write_1h_tokens INTEGER;
ALTER TABLE usage_record ADD COLUMN reasoning_tokens INTEGER;
ALTER TABLE usage_record ADD COLUMN service_tier SMALLINT;
ALTER TABLE usage_record ADD COLUMN cost_source SMALLINT DEFAULT 0 NOT NULL;
ALTER TABLE usage_record ADD COLUMN catalog_cost_usd DECIMAL(20, 10);
ALTER TABLE usage_record ADD COLUMN price_ref VARCHAR(300);
-- The cost by kind of token (per-call fees and rounding are what the kinds leave of cost_usd): the catalog's parts
-- for a catalog-priced call, a reported cost split in its catalog price's proportions; NULL where nothing splits it.
ALTER TABLE usage_record ADD COLUMN cost_uncached_input_usd DECIMAL(20, 10);
ALTER TABLE usage_record ADD COLUMN cost_cache_read_usd DECIMAL(20, 10);
ALTER TABLE usage_record ADD COLUMN cost_cache_write_usd DECIMAL(20, 10);
ALTER TABLE usage_record ADD COLUMN cost_output_usd DECIMAL(20, 10);
ALTER TABLE usage_record ADD COLUMN cost_reasoning_usd DECIMAL(20, 10);

-- Every cube sums the token kinds and counts the unpriced calls and their tokens, so that each answer can say
-- how much of its window is unpriced, and the cache hit rate and the cost by kind come from the rollups.
ALTER TABLE rollup_full ADD COLUMN cache_read_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN cache_write_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN reasoning_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN unpriced BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN unpriced_tokens_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN cost_uncached_input_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN cost_cache_read_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN cost_cache_write_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN cost_output_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN cost_reasoning_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN cache_read_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN cache_write_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN reasoning_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN unpriced BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN unpriced_tokens_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN cost_uncached_input_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN cost_cache_read_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN cost_cache_write_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN cost_output_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN cost_reasoning_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN cache_read_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN cache_write_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN reasoning_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN unpriced BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN unpriced_tokens_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN cost_uncached_input_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN cost_cache_read_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN cost_cache_write_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN cost_output_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN cost_reasoning_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_model ADD COLUMN cache_read_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_model ADD COLUMN cache_write_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_model ADD COLUMN reasoning_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_model ADD COLUMN unpriced BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_model ADD COLUMN unpriced_tokens_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_model ADD COLUMN cost_uncached_input_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_model ADD COLUMN cost_cache_read_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_model ADD COLUMN cost_cache_write_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_model ADD COLUMN cost_output_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;
ALTER TABLE rollup_model ADD COLUMN cost_reasoning_sum DECIMAL(30, 10) DEFAULT 0 NOT NULL;

-- Custom and contract prices (ADMIN): they win over the shipped catalog. Rates in USD per million tokens; the fee
-- in USD per request; long-context tiers as the catalog's JSON.
CREATE TABLE custom_price (
    id                  BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    provider            VARCHAR(200)  NOT NULL,
    model               VARCHAR(200),
    aliases             VARCHAR(11000),
    pattern             VARCHAR(500),
    priority            INTEGER       NOT NULL,
    effective_from      TIMESTAMP WITH TIME ZONE NOT NULL,
    effective_to        TIMESTAMP WITH TIME ZONE,
    service_tier        VARCHAR(20)   NOT NULL,
    input_rate          DECIMAL(20, 10),
    cache_read_rate     DECIMAL(20, 10),
    cache_write_rate    DECIMAL(20, 10),
    cache_write_1h_rate DECIMAL(20, 10),
    output_rate         DECIMAL(20, 10),
    reasoning_rate      DECIMAL(20, 10),
    request_fee         DECIMAL(20, 10),
    long_context        VARCHAR(20000),
    note                VARCHAR(500),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The providers' own cost exports (OpenAI organization costs, Anthropic cost report), one row per line of a
-- bucket: imported again, a line replaces itself (line_key, which starts with the provider, is what identifies it
-- in its export: the bucket's start and the line's grouping values).
CREATE TABLE billed_cost (
    line_key     VARCHAR(1000) PRIMARY KEY,
    provider     VARCHAR(50)   NOT NULL,
    bill_day     DATE          NOT NULL,
    model        VARCHAR(200),
    workspace    VARCHAR(200),
    line_item    VARCHAR(300),
    amount_usd   DECIMAL(20, 10) NOT NULL,
    imported_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_billed_cost_day ON billed_cost (bill_day, provider);

-- Input and output tokens summed apart (the usage breakdown answers both), each row's latencies as a DDSketch
-- (LatencySketch: percentiles within 1%, mergeable across rows; null where no call had a latency), and a fourth cube, by provider and
-- model alone, at all three grains: a chart of spend by model in hourly buckets, or in calendar days of a zone
-- off UTC midnights, reads few rows (models x buckets) instead of the raw records. Measured for a mid-size
-- company (10 models, ~11,000 calls a day): at most 1,210 rows a day, about 0.1 row per record.
--
-- Existing rollup rows cannot be split from their token sum nor sketched from their latency sum, and the model cube's 15-minute and hourly rows need
-- the raw records: rollup_upgrade asks the service to rebuild the rollups once at start (RollupUpgrade), which
-- recomputes every row from the raw records kept. Day rows of the model cube are summed here from the full cube,
-- so that days before a retention horizon (whose raw records are gone) keep their figures; their token split
-- stays 0 and 0 (tokens keeps the total), and model_cube_from records from when the model cube has fine rows.
ALTER TABLE rollup_full ADD COLUMN input_tokens_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN output_tokens_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN input_tokens_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_work ADD COLUMN output_tokens_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN input_tokens_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_team ADD COLUMN output_tokens_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollup_full ADD COLUMN latency_sketch BYTEA;
ALTER TABLE rollup_work ADD COLUMN latency_sketch BYTEA;
ALTER TABLE rollup_team ADD COLUMN latency_sketch BYTEA;

CREATE TABLE rollup_model (
    grain                SMALLINT        NOT NULL,
    bucket               TIMESTAMP WITH TIME ZONE NOT NULL,
    provider             VARCHAR(200)    NOT NULL,
    model                VARCHAR(200)    NOT NULL,
    requests             BIGINT          NOT NULL,
    cost_sum             DECIMAL(30, 10) NOT NULL,
    cost_sq_sum          DECIMAL(60, 20) NOT NULL,
    tokens_sum           BIGINT          NOT NULL,
    latency_sum          BIGINT          NOT NULL,
    latency_count        BIGINT          NOT NULL,
    quality_sum          DECIMAL(30, 9)  NOT NULL,
    quality_sq_sum       DECIMAL(40, 18) NOT NULL,
    quality_count        BIGINT          NOT NULL,
    passed               BIGINT          NOT NULL,
    verdicts             BIGINT          NOT NULL,
    scored_cost_sum      DECIMAL(30, 10) NOT NULL,
    scored_latency_sum   BIGINT          NOT NULL,
    scored_latency_count BIGINT          NOT NULL,
    input_tokens_sum     BIGINT          DEFAULT 0 NOT NULL,
    output_tokens_sum    BIGINT          DEFAULT 0 NOT NULL,
    latency_sketch       BYTEA,
    PRIMARY KEY (grain, bucket, provider, model)
);

INSERT INTO rollup_model (grain, bucket, provider, model, requests, cost_sum, cost_sq_sum, tokens_sum, latency_sum, latency_count,
                          quality_sum, quality_sq_sum, quality_count, passed, verdicts, scored_cost_sum, scored_latency_sum,
                          scored_latency_count)
SELECT grain, bucket, provider, model, SUM(requests), SUM(cost_sum), SUM(cost_sq_sum), SUM(tokens_sum), SUM(latency_sum),
       SUM(latency_count), SUM(quality_sum), SUM(quality_sq_sum), SUM(quality_count), SUM(passed), SUM(verdicts),
       SUM(scored_cost_sum), SUM(scored_latency_sum), SUM(scored_latency_count)
FROM rollup_full GROUP BY grain, bucket, provider, model;

CREATE TABLE rollup_upgrade (
    name VARCHAR(50) PRIMARY KEY
);
INSERT INTO rollup_upgrade (name) SELECT 'rebuild' FROM rollup_team WHERE grain = 2 GROUP BY grain;

INSERT INTO retention_state (name, raw_from) SELECT 'model_cube_from', raw_from FROM retention_state WHERE name = 'usage';

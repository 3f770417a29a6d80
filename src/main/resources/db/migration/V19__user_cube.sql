-- A fifth cube, by team and user per UTC day, for adoption and breakdowns by user: the full cube keeps a row per
-- user, provider, model, workflow, task type and day, and these read every one of them over the window (adoption
-- the whole history, for each user's last day of use); this keeps a row per person and day. Sums only: no latency sketches, so
-- percentiles by user still come from the full cube. Its rows are the full cube's summed, so existing installs
-- get them here, days before a retention horizon included.
CREATE TABLE rollup_user (
    grain                   SMALLINT        NOT NULL,
    bucket                  TIMESTAMP WITH TIME ZONE NOT NULL,
    team                    VARCHAR(200)    NOT NULL,
    user_name               VARCHAR(200)    NOT NULL,
    requests                BIGINT          NOT NULL,
    cost_sum                DECIMAL(30, 10) NOT NULL,
    cost_sq_sum             DECIMAL(60, 20) NOT NULL,
    tokens_sum              BIGINT          NOT NULL,
    latency_sum             BIGINT          NOT NULL,
    latency_count           BIGINT          NOT NULL,
    quality_sum             DECIMAL(30, 9)  NOT NULL,
    quality_sq_sum          DECIMAL(40, 18) NOT NULL,
    quality_count           BIGINT          NOT NULL,
    passed                  BIGINT          NOT NULL,
    verdicts                BIGINT          NOT NULL,
    scored_cost_sum         DECIMAL(30, 10) NOT NULL,
    scored_latency_sum      BIGINT          NOT NULL,
    scored_latency_count    BIGINT          NOT NULL,
    input_tokens_sum        BIGINT          NOT NULL,
    output_tokens_sum       BIGINT          NOT NULL,
    cache_read_sum          BIGINT          NOT NULL,
    cache_write_sum         BIGINT          NOT NULL,
    reasoning_sum           BIGINT          NOT NULL,
    unpriced                BIGINT          NOT NULL,
    unpriced_tokens_sum     BIGINT          NOT NULL,
    cost_uncached_input_sum DECIMAL(30, 10) NOT NULL,
    cost_cache_read_sum     DECIMAL(30, 10) NOT NULL,
    cost_cache_write_sum    DECIMAL(30, 10) NOT NULL,
    cost_output_sum         DECIMAL(30, 10) NOT NULL,
    cost_reasoning_sum      DECIMAL(30, 10) NOT NULL,
    latency_sketch          BYTEA,
    PRIMARY KEY (grain, bucket, team, user_name)
);

INSERT INTO rollup_user (grain, bucket, team, user_name, requests, cost_sum, cost_sq_sum, tokens_sum, latency_sum, latency_count,
                         quality_sum, quality_sq_sum, quality_count, passed, verdicts, scored_cost_sum, scored_latency_sum,
                         scored_latency_count, input_tokens_sum, output_tokens_sum, cache_read_sum, cache_write_sum, reasoning_sum,
                         unpriced, unpriced_tokens_sum, cost_uncached_input_sum, cost_cache_read_sum, cost_cache_write_sum,
                         cost_output_sum, cost_reasoning_sum)
SELECT grain, bucket, team, user_name, SUM(requests), SUM(cost_sum), SUM(cost_sq_sum), SUM(tokens_sum), SUM(latency_sum),
       SUM(latency_count), SUM(quality_sum), SUM(quality_sq_sum), SUM(quality_count), SUM(passed), SUM(verdicts),
       SUM(scored_cost_sum), SUM(scored_latency_sum), SUM(scored_latency_count), SUM(input_tokens_sum), SUM(output_tokens_sum),
       SUM(cache_read_sum), SUM(cache_write_sum), SUM(reasoning_sum), SUM(unpriced), SUM(unpriced_tokens_sum),
       SUM(cost_uncached_input_sum), SUM(cost_cache_read_sum), SUM(cost_cache_write_sum), SUM(cost_output_sum), SUM(cost_reasoning_sum)
FROM rollup_full GROUP BY grain, bucket, team, user_name;

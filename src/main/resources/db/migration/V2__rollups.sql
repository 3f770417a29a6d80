-- Pre-aggregated usage, kept in the same transaction as every insert into usage_record, so that analytics
-- cost O(groups in the answer) instead of O(records in the window). Three cubes, from all six dimensions
-- down to the team alone (a query reads the narrowest cube that has its dimensions), each at three grains:
-- 0 = 15 minutes, 1 = hour, 2 = UTC day. Every real time-zone offset is a multiple of 15 minutes, so the
-- calendar days of any zone are unions of buckets. Missing dimension values are stored as '' (names can
-- never be empty). Only sums and counts are kept, so any set of buckets combines exactly; sums of squares
-- are there for the variance a later analysis needs.

CREATE TABLE rollup_full (
    grain                SMALLINT        NOT NULL,
    bucket               TIMESTAMP WITH TIME ZONE NOT NULL,
    team                 VARCHAR(200)    NOT NULL,
    user_name            VARCHAR(200)    NOT NULL,
    provider             VARCHAR(200)    NOT NULL,
    model                VARCHAR(200)    NOT NULL,
    workflow             VARCHAR(200)    NOT NULL,
    task_type            VARCHAR(200)    NOT NULL,
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
    PRIMARY KEY (grain, bucket, team, user_name, provider, model, workflow, task_type)
);

CREATE TABLE rollup_work (
    grain                SMALLINT        NOT NULL,
    bucket               TIMESTAMP WITH TIME ZONE NOT NULL,
    team                 VARCHAR(200)    NOT NULL,
    model                VARCHAR(200)    NOT NULL,
    workflow             VARCHAR(200)    NOT NULL,
    task_type            VARCHAR(200)    NOT NULL,
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
    PRIMARY KEY (grain, bucket, team, model, workflow, task_type)
);

CREATE TABLE rollup_team (
    grain                SMALLINT        NOT NULL,
    bucket               TIMESTAMP WITH TIME ZONE NOT NULL,
    team                 VARCHAR(200)    NOT NULL,
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
    PRIMARY KEY (grain, bucket, team)
);

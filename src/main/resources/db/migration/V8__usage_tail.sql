-- Ingest appends here and nowhere else; a background fold moves these rows into usage_record and the rollups in
-- large steps. Why: H2 (a copy-on-write B-tree store) rewrites every page a commit touches, and an acknowledged
-- batch of 1,000 records touched about a thousand pages of each index with random keys (request id always,
-- time for out-of-order records) and of each rollup cube: 5-18 KB written, and mostly left dead in the file, per
-- record. Appended rows touch only the last pages of a table that the fold keeps small, and the fold writes the
-- big indexes and rollups once per step of tens of thousands of records instead of once per batch.
-- Same columns as usage_record; ids are given by the writer (the id a record keeps when it is folded).
CREATE TABLE usage_tail (
    id             BIGINT         NOT NULL PRIMARY KEY,
    ts             TIMESTAMP WITH TIME ZONE NOT NULL,
    provider       VARCHAR(200)   NOT NULL,
    model          VARCHAR(200)   NOT NULL,
    team           VARCHAR(200)   NOT NULL,
    user_name      VARCHAR(200),
    task_type      VARCHAR(200)   NOT NULL,
    workflow       VARCHAR(200),
    input_tokens   INTEGER,
    output_tokens  INTEGER,
    cost_usd       DECIMAL(20, 10) NOT NULL,
    latency_ms     INTEGER,
    quality_score  DECIMAL(10, 9),
    passed_quality BOOLEAN,
    request_id     VARCHAR(200),
    session_id     VARCHAR(200),
    prompt_template VARCHAR(200),
    prompt_version VARCHAR(200),
    prompt_chars   INTEGER,
    CONSTRAINT ck_tail_cost CHECK (cost_usd >= 0),
    CONSTRAINT ck_tail_quality CHECK (quality_score IS NULL OR (quality_score >= 0 AND quality_score <= 1))
);
-- a retry racing its original while both are unfolded fails here and is counted as a duplicate
CREATE UNIQUE INDEX ux_tail_request_id ON usage_tail (request_id);

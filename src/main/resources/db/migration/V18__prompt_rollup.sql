-- The prompt insights' own rollup, so they no longer scan the window's raw records: per UTC day, team,
-- workflow, task type, prompt template and version ('' where a call had none) and input-size band (-1: input
-- tokens not sent), every figure the insights show as a sum: calls, cost, scored calls and their quality, prompt
-- characters, the first call's time (a minimum, which combines like a sum), and the sums Pearson's r needs for
-- input tokens (x) with cost (c, over calls with x) and with quality (q, over scored calls with x), in double
-- precision as the raw scan computed them. Existing installs fill it once from the folded records after start
-- (rollup_upgrade 'prompts'); until then the insights scan the records as before.
CREATE TABLE rollup_prompt (
    grain           SMALLINT        NOT NULL,
    bucket          TIMESTAMP WITH TIME ZONE NOT NULL,
    team            VARCHAR(200)    NOT NULL,
    workflow        VARCHAR(200)    NOT NULL,
    task_type       VARCHAR(200)    NOT NULL,
    prompt_template VARCHAR(200)    NOT NULL,
    prompt_version  VARCHAR(200)    NOT NULL,
    band            SMALLINT        NOT NULL,
    calls           BIGINT          NOT NULL,
    cost_sum        DECIMAL(30, 10) NOT NULL,
    scored          BIGINT          NOT NULL,
    quality_sum     DECIMAL(30, 9)  NOT NULL,
    chars_sum       BIGINT          NOT NULL,
    chars_count     BIGINT          NOT NULL,
    first_seen      TIMESTAMP WITH TIME ZONE NOT NULL,
    n               BIGINT          NOT NULL,
    sx              DOUBLE PRECISION NOT NULL,
    sxx             DOUBLE PRECISION NOT NULL,
    sc              DOUBLE PRECISION NOT NULL,
    scc             DOUBLE PRECISION NOT NULL,
    sxc             DOUBLE PRECISION NOT NULL,
    m               BIGINT          NOT NULL,
    qx              DOUBLE PRECISION NOT NULL,
    qxx             DOUBLE PRECISION NOT NULL,
    sq              DOUBLE PRECISION NOT NULL,
    sqq             DOUBLE PRECISION NOT NULL,
    sxq             DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (grain, bucket, team, workflow, task_type, prompt_template, prompt_version, band)
);
INSERT INTO rollup_upgrade (name) SELECT 'prompts' FROM rollup_team WHERE grain = 2 GROUP BY grain;

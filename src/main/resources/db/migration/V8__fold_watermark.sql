-- How far the rollups have been folded: every record with an id up to folded_through is in them, every later one
-- is not yet, and every read adds those to what it takes from the rollups. Ingest only inserts records; the
-- rollups are folded from this watermark in large steps (RollupFolder). Why: H2 (a copy-on-write B-tree store)
-- rewrites every page a commit touches, and keeping three cubes at three grains in each acknowledged batch
-- touched thousands of their pages per batch, in random order for out-of-order records.
CREATE TABLE fold_state (
    name           VARCHAR(50) PRIMARY KEY,
    folded_through BIGINT      NOT NULL
);
-- records stored before this migration are in the rollups already
INSERT INTO fold_state (name, folded_through) SELECT 'usage', COALESCE(MAX(id), 0) FROM usage_record;

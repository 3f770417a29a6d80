-- Raw-record retention (aiusage.retention.raw-days): the instant before which raw records are no longer kept.
-- The rollups keep every figure; a read that needs raw records before raw_from (a window edge that is not a
-- whole bucket, a page of records, a prompt scan) is refused rather than answered with fewer records. Set
-- before any record is deleted, so no read ever sees part of a deletion. Portable SQL (H2, PostgreSQL).
CREATE TABLE retention_state (
    name     VARCHAR(50) PRIMARY KEY,
    raw_from TIMESTAMP WITH TIME ZONE NOT NULL
);

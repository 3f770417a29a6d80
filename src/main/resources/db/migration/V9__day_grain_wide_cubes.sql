-- The wide cubes keep day buckets only (see Cube): their 15-minute and hourly rows go. The team cube keeps all
-- three grains (few rows: teams × buckets), which local-day trends in any time zone need.
DELETE FROM rollup_full WHERE grain <> 2;
DELETE FROM rollup_work WHERE grain <> 2;

-- Request ids of folded records, one row each: the idempotency check's index, written by the fold in large
-- steps. A unique index on usage_record.request_id was written by every acknowledged batch instead, and since
-- request ids are random, each batch of 1,000 rewrote about a thousand of its pages (measured alone: 33,700
-- records/s with the primary key only, 12,400 with that index and the time index, in time order). The records
-- not folded yet are checked by UnfoldedRequestIds.
CREATE TABLE request_key (
    request_id VARCHAR(200) PRIMARY KEY
);
INSERT INTO request_key (request_id) SELECT request_id FROM usage_record WHERE request_id IS NOT NULL;
DROP INDEX ux_usage_request_id;

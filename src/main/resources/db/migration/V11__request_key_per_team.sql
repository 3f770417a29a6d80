-- A requestId is unique per team, not across the company: two teams whose clients happen to use the same ids
-- (counters, UUID-less retries) must not drop each other's calls as duplicates, and an INGEST key must not be
-- able to find out which ids another team has used. The folded records' keys, by team; the ones above the
-- watermark are held in memory (UnfoldedRequestIds), keyed the same way. The key leads with request_id: a batch
-- looks its ids up by request_id alone (then keeps its own team's), and with team first that lookup scanned the
-- whole table for every batch (measured: 1M records in time order slowed to a crawl). Portable SQL (H2, PostgreSQL).
CREATE TABLE request_key_by_team (
    team       VARCHAR(200) NOT NULL,
    request_id VARCHAR(200) NOT NULL,
    PRIMARY KEY (request_id, team)
);

INSERT INTO request_key_by_team (team, request_id)
SELECT team, request_id FROM usage_record
WHERE request_id IS NOT NULL AND id <= (SELECT folded_through FROM fold_state WHERE name = 'usage');

DROP TABLE request_key;
ALTER TABLE request_key_by_team RENAME TO request_key;

-- Team-and-time reads now come from the rollups; the raw table is read by time (window edges, pages) and by
-- request id (idempotency). One index less to maintain on every insert.
DROP INDEX ix_usage_team_ts;

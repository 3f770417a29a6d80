/**
 * What differs between databases, behind {@link dev.aiusage.store.engine.Engine}: statement deadlines,
 * ingest/fold exclusion (across instances where several share the database), request-id claims, bulk loads,
 * durability settings and compaction. {@code H2Engine} serves the embedded default, {@code PostgresEngine}
 * PostgreSQL; the datasource URL chooses.
 */
package dev.aiusage.store.engine;

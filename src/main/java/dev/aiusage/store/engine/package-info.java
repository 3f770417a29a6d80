/**
 * What differs between databases, behind {@link dev.aiusage.store.engine.Engine}: statement deadlines,
 * ingest/fold exclusion, durability settings and compaction. {@code H2Engine} serves the embedded default.
 */
package dev.aiusage.store.engine;

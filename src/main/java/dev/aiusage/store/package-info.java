/**
 * The records and their rollups: the append-only insert, the fold into the rollup cubes and the time table,
 * the in-memory index of the work cube, window plans, the rebuild, and every SQL read. SQL lives here only.
 */
package dev.aiusage.store;

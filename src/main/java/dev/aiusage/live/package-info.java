/**
 * Live updates: the records of every committed fold step, handed to the subscribers whose filter they match,
 * each through a bounded queue of its own, so a slow subscriber is dropped and never slows ingest or the fold.
 */
package dev.aiusage.live;

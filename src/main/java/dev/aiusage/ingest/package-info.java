/**
 * Validates incoming calls and hands them to the store, idempotently: a requestId is stored once per team.
 */
package dev.aiusage.ingest;

/**
 * The people directory and access events: batches through GraphQL and CSV imports.
 */
package dev.aiusage.people;

/**
 * Substitution tickets in Jira and ClickUp, filed once per suggestion and tracker.
 */
package dev.aiusage.tickets;

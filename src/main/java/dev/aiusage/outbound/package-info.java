/**
 * The queue of everything sent out (Slack, Jira, ClickUp): claims, attempts, retries with backoff, and
 * masking of secrets in whatever form a destination echoes them.
 */
package dev.aiusage.outbound;

/**
 * The weekly report, in Markdown and for Slack, its cron schedule and its deliveries.
 */
package dev.aiusage.report;

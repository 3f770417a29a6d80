/**
 * Reconciliation with the providers' bills: their own cost exports (OpenAI's organization costs, Anthropic's cost
 * report, or CSV) imported line by line, idempotently, and set beside the logged spend per day and provider.
 */
package dev.aiusage.billing;

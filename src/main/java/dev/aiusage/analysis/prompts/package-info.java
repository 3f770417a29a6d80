/**
 * Prompt insights: input-size bands and correlations of tokens with cost and quality, per workflow and
 * prompt template.
 */
package dev.aiusage.analysis.prompts;

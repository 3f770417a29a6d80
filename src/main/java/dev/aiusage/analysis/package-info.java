/**
 * The questions asked of the store: cost by team, workflow and model, daily trends, model efficiency,
 * substitution opportunities, power users, record pages and service information.
 */
package dev.aiusage.analysis;

/**
 * ai-usage-analytics: records every AI API call a company makes and explains its cost. The entry point
 * and what every stage shares at start-up (the clock).
 */
package dev.aiusage;

/**
 * Pricing: what a call cost from its tokens, by a dated catalog (shipped from genai-prices, with custom and contract
 * prices over it), between validation and storage; and the provider's own bill, to check logged spend against.
 */
package dev.aiusage.pricing;

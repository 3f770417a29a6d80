package dev.aiusage.analysis;

/** How breakdown rows are ordered before the limit cuts them; ties go by cost, then bucket, then the values. */
public enum UsageOrder {
    COST_DESC,
    REQUESTS_DESC,
    TOKENS_DESC,
    BUCKET_ASC
}

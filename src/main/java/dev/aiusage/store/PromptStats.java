package dev.aiusage.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Sums over raw records for the prompt insights; every average and correlation is derived from these. */
public final class PromptStats {
    /** Band bounds in input tokens: [0, 500), [500, 2000), [2000, 8000), [8000, ∞); band -1 is "not sent". */
    public static final List<Integer> BAND_BOUNDS = List.of(500, 2000, 8000);

    private PromptStats() {
    }

    /**
     * The calls of one workflow, task type, template and version (both null for calls without one) in one
     * input-size band, with the sums for Pearson's r of input tokens (x) with cost (c, over calls with x) and
     * with quality (q, over scored calls with x). All are sums, so cells add up to any coarser group.
     */
    public record Cell(String workflow, String taskType, String template, String version, int band,
                       long calls, BigDecimal cost, long scored, BigDecimal qualitySum, double charsSum, long charsCount,
                       Instant firstSeen,
                       long n, double sx, double sxx, double sc, double scc, double sxc,
                       long m, double qx, double qxx, double sq, double sqq, double sxq) {
    }
}

package dev.aiusage.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Sums over raw records for the prompt insights; every average and correlation is derived from these. */
public final class PromptStats {
    private PromptStats() {
    }

    /** Calls of one workflow, task type and template (null when none) in one input-size band (-1: tokens not sent). */
    public record Band(String workflow, String taskType, String template, int band, long calls, BigDecimal cost,
                       long scored, BigDecimal qualitySum) {
    }

    /**
     * Sums for Pearson's r of input tokens (x) with cost (over calls with x) and with quality (over scored calls
     * with x), per workflow, task type and template.
     */
    public record Moments(String workflow, String taskType, String template,
                          long n, double sx, double sxx, double sc, double scc, double sxc,
                          long m, double qx, double qxx, double sq, double sqq, double sxq) {
    }

    /** One version of a template on one workflow and task type: when it was first seen in the window, and its sums. */
    public record Version(String workflow, String taskType, String template, String version, long calls, BigDecimal cost,
                          long scored, BigDecimal qualitySum, Double avgPromptChars, Instant firstSeen) {
    }

    /** Band bounds in input tokens: [0, 500), [500, 2000), [2000, 8000), [8000, ∞). */
    public static final List<Integer> BAND_BOUNDS = List.of(500, 2000, 8000);
}

package dev.aiusage.analysis;

import java.util.List;

/** A grouped, bucketed answer: its rows up to the limit, the rest summed, and the window's totals. */
public record UsageBreakdown(List<UsageRow> rows, UsageMeasures total, UsageMeasures otherRows, boolean truncated,
                             UsageMeasures previousTotal) {
}

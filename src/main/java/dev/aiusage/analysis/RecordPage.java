package dev.aiusage.analysis;

import dev.aiusage.store.UsageRecord;

import java.util.List;

/**
 * One newest-first page of records with their cursors; {@code totalCount} is the window's and filter's records in
 * all, null when it was not asked for.
 */
public record RecordPage(List<Edge> edges, boolean hasNextPage, boolean hasPreviousPage, Long totalCount) {

    /** A record and the opaque cursor that continues after it. */
    public record Edge(String cursor, UsageRecord node) {
    }

    public String startCursor() {
        return edges.isEmpty() ? null : edges.get(0).cursor();
    }

    public String endCursor() {
        return edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
    }
}

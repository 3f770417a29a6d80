package dev.aiusage.domain;

import java.time.Instant;

/**
 * A read needs raw records from before the retention horizon, which are no longer kept. The rollups still hold
 * every figure of whole buckets there (UTC days; 15 minutes for the team totals), so a window whose edges before
 * the horizon fall on bucket boundaries is answered; this one is not, rather than with fewer records.
 */
public class OutsideRetentionException extends RuntimeException {
    private final String field;
    private final Instant rawFrom;

    public OutsideRetentionException(String field, Instant rawFrom) {
        super("Raw records before " + rawFrom + " are no longer kept (aiusage.retention.raw-days): " + field
                + " needs them. Move it to that instant or later, or to a UTC midnight, which the rollups answer.");
        this.field = field;
        this.rawFrom = rawFrom;
    }

    public String field() {
        return field;
    }

    public Instant rawFrom() {
        return rawFrom;
    }
}

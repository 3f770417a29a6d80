package dev.aiusage.ingest;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.Names;
import dev.aiusage.pricing.ServiceTier;
import dev.aiusage.store.UsageRecord;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/** Turns a client's {@link UsageInput} into a storable {@link UsageRecord}, or says which field is wrong. */
final class UsageValidator {
    static final int COST_SCALE = 10;
    static final int QUALITY_SCALE = 9;
    static final double MAX_COST_USD = 1_000_000;
    /** Clocks drift and batches are late; a call further ahead than this is a client bug. */
    static final Duration MAX_FUTURE = Duration.ofDays(1);
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private UsageValidator() {
    }

    /** @throws BadInputException naming the first field at fault */
    static UsageRecord validate(UsageInput in, Instant now) {
        Instant ts = in.ts() == null ? now : in.ts().toInstant();
        if (ts.isAfter(now.plus(MAX_FUTURE))) {
            throw new BadInputException("ts", "ts is more than a day after the time the service received the call");
        }
        if (ts.isBefore(EARLIEST)) {
            throw new BadInputException("ts", "ts must not be before " + EARLIEST);
        }
        Integer input = nonNegative("inputTokens", in.inputTokens());
        Integer output = nonNegative("outputTokens", in.outputTokens());
        Integer cacheRead = nonNegative("cacheReadTokens", in.cacheReadTokens());
        Integer cacheWrite = nonNegative("cacheWriteTokens", in.cacheWriteTokens());
        Integer cacheWrite1h = nonNegative("cacheWrite1hTokens", in.cacheWrite1hTokens());
        Integer reasoning = nonNegative("reasoningTokens", in.reasoningTokens());
        part("cacheReadTokens", cacheRead, "inputTokens", input);
        part("cacheWriteTokens", cacheWrite, "inputTokens", input);
        part("cacheWrite1hTokens", cacheWrite1h, "cacheWriteTokens", cacheWrite);
        part("reasoningTokens", reasoning, "outputTokens", output);
        if (cacheRead != null && cacheWrite != null && (long) cacheRead + cacheWrite > input) {
            throw new BadInputException("cacheWriteTokens", "cacheReadTokens plus cacheWriteTokens must not exceed inputTokens, of which they are parts");
        }
        Short tier = tier(in.serviceTier());
        boolean reported = in.costUsd() != null;
        if (!reported && input == null && output == null) {
            throw new BadInputException("costUsd", "costUsd is required when neither inputTokens nor outputTokens is given to price the call from");
        }
        return new UsageRecord(null, ts,
                required("provider", in.provider()),
                required("model", in.model()),
                required("team", in.team()),
                optional("user", in.user()),
                required("taskType", in.taskType()),
                optional("workflow", in.workflow()),
                input,
                output,
                reported ? cost(in.costUsd()) : BigDecimal.ZERO.setScale(COST_SCALE),
                nonNegative("latencyMs", in.latencyMs()),
                quality(in.qualityScore()),
                in.passedQuality(),
                optional("requestId", in.requestId()),
                optional("sessionId", in.sessionId()),
                optional("promptTemplate.name", in.promptTemplate()),
                in.promptTemplate() == null ? null : required("promptTemplate.version", in.promptVersion()),
                nonNegative("promptChars", in.promptChars()),
                cacheRead, cacheWrite, cacheWrite1h, reasoning, tier,
                // priced after validation (PriceCatalog.apply): a record without a reported cost waits as unpriced
                reported ? UsageRecord.REPORTED : UsageRecord.UNPRICED, null, null, null, null, null, null, null);
    }

    private static void part(String field, Integer part, String wholeField, Integer whole) {
        if (part == null) {
            return;
        }
        if (whole == null) {
            throw new BadInputException(field, field + " is part of " + wholeField + ", which is missing");
        }
        if (part > whole) {
            throw new BadInputException(field, field + " must not exceed " + wholeField + ", of which it is part");
        }
    }

    private static Short tier(String name) {
        if (name == null) {
            return null;
        }
        try {
            return ServiceTier.valueOf(name).stored();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("serviceTier", "serviceTier must be one of STANDARD, BATCH, FLEX, PRIORITY");
        }
    }

    private static String required(String field, String value) {
        if (value == null) {
            throw new BadInputException(field, field + " is required");
        }
        return Names.require(field, value);
    }

    private static String optional(String field, String value) {
        return value == null ? null : Names.require(field, value);
    }

    private static Integer nonNegative(String field, Integer value) {
        if (value != null && value < 0) {
            throw new BadInputException(field, field + " must not be negative");
        }
        return value;
    }

    private static BigDecimal cost(Double value) {
        if (!Double.isFinite(value) || value < 0 || value > MAX_COST_USD) {
            throw new BadInputException("costUsd", "costUsd must be a number from 0 to " + (long) MAX_COST_USD);
        }
        return BigDecimal.valueOf(value).setScale(COST_SCALE, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal quality(Double value) {
        if (value == null) {
            return null;
        }
        if (!Double.isFinite(value) || value < 0 || value > 1) {
            throw new BadInputException("qualityScore", "qualityScore must be a number from 0 to 1");
        }
        return BigDecimal.valueOf(value).setScale(QUALITY_SCALE, RoundingMode.HALF_EVEN);
    }
}

package dev.aiusage.intake.bulk;

import dev.aiusage.ingest.UsageInput;
import dev.aiusage.intake.ItemRefusal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * One row of an import (a CSV record or a JSONL object, its values by record field) as a {@link UsageInput}. Values
 * may be text (CSV) or JSON's own types. A time is ISO-8601 with or without an offset (none: UTC), with a space or a
 * {@code T}, a date alone (midnight UTC), or a number of seconds (milliseconds when above 10^11) since 1970. A row
 * without a request id gets one from its content ({@code import-} and 24 hex digits of its SHA-256), so importing the
 * same file twice stores each row once.
 */
final class Rows {
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd().optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    /** What a row lacks, filled from the import's options. */
    record Defaults(String team, String taskType, String provider) {
        static final Defaults NONE = new Defaults(null, null, null);
    }


    private Rows() {
    }

    /**
     * @param values the row's values by record field
     * @param columns the file's name for each record field, for refusals
     * @param content the row as read, for a request id of its own
     */
    static UsageInput input(Map<String, Object> values, Map<String, String> columns, Defaults defaults, String content) {
        Reader r = new Reader(values, columns);
        String requestId = r.text("requestId");
        if (requestId == null) {
            requestId = "import-" + digest(content);
        }
        String template = r.text("promptTemplate");
        String version = r.text("promptVersion");
        return new UsageInput(r.time("ts"), or(r.text("provider"), defaults.provider()), r.text("model"), or(r.text("team"), defaults.team()),
                r.text("user"), or(r.text("taskType"), defaults.taskType()), r.text("workflow"), r.integer("inputTokens"), r.integer("outputTokens"),
                r.number("costUsd"), r.integer("latencyMs"), r.number("qualityScore"), r.bool("passedQuality"), requestId, r.text("sessionId"),
                template, template == null ? null : or(version, "unversioned"), r.integer("promptChars"), r.integer("cacheReadTokens"),
                r.integer("cacheWriteTokens"), r.integer("cacheWrite1hTokens"), r.integer("reasoningTokens"), r.text("serviceTier"));
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static String digest(String content) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Reader(Map<String, Object> values, Map<String, String> columns) {
        private String column(String field) {
            return columns.getOrDefault(field, field);
        }

        String text(String field) {
            Object v = values.get(field);
            if (v == null) {
                return null;
            }
            String s = v instanceof BigDecimal n ? n.toPlainString() : v.toString();
            return s.isBlank() ? null : s.strip();
        }

        private BigDecimal decimal(String field, String what) {
            Object v = values.get(field);
            if (v == null || v instanceof BigDecimal) {
                return (BigDecimal) v;
            }
            String s = text(field);
            if (s == null) {
                return null;
            }
            try {
                return new BigDecimal(s);
            } catch (NumberFormatException e) {
                throw new ItemRefusal(column(field), column(field) + " must be " + what);
            }
        }

        Integer integer(String field) {
            BigDecimal n = decimal(field, "a whole number");
            if (n == null) {
                return null;
            }
            if (n.stripTrailingZeros().scale() > 0 || n.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                throw new ItemRefusal(column(field), column(field) + " must be a whole number up to " + Integer.MAX_VALUE);
            }
            return n.intValue();
        }

        Double number(String field) {
            BigDecimal n = decimal(field, "a number");
            return n == null ? null : n.doubleValue();
        }

        Boolean bool(String field) {
            Object v = values.get(field);
            if (v == null || v instanceof Boolean) {
                return (Boolean) v;
            }
            String s = text(field);
            if (s == null) {
                return null;
            }
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "y", "t" -> true;
                case "false", "0", "no", "n", "f" -> false;
                default -> throw new ItemRefusal(column(field), column(field) + " must be true or false");
            };
        }

        OffsetDateTime time(String field) {
            Object v = values.get(field);
            if (v == null) {
                return null;
            }
            String s = text(field);
            if (s == null) {
                return null;
            }
            try {
                if (v instanceof BigDecimal || s.matches("\\d+(\\.\\d+)?")) {
                    BigDecimal n = new BigDecimal(s);
                    BigDecimal seconds = n.compareTo(BigDecimal.valueOf(100_000_000_000L)) > 0 ? n.movePointLeft(3) : n;
                    long micros = seconds.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
                    return OffsetDateTime.ofInstant(Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS), ZoneOffset.UTC);
                }
                if (s.length() == 10) {
                    return LocalDate.parse(s).atStartOfDay().atOffset(ZoneOffset.UTC);
                }
                TemporalAccessor parsed = TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
                return parsed instanceof OffsetDateTime odt ? odt : ((LocalDateTime) parsed).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new ItemRefusal(column(field), column(field) + " must be a time: ISO-8601 (2026-11-20T09:00:00Z) or seconds since 1970");
            }
        }
    }
}

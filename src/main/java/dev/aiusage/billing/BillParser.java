package dev.aiusage.billing;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.JsonTree;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a provider's cost export into bill lines. Shapes, as the providers document them:
 * <ul>
 * <li>OpenAI {@code GET /v1/organization/costs}: a page {@code {"data": [bucket…]}} of daily buckets with
 * {@code start_time}/{@code end_time} in epoch seconds and {@code results} of {@code {amount: {value, currency},
 * line_item, project_id}}: dollars, no model.</li>
 * <li>Anthropic {@code GET /v1/organizations/cost_report}: a page {@code {"data": [bucket…]}} of buckets with
 * {@code starting_at}/{@code ending_at} (RFC 3339) and {@code results} whose {@code amount} is a decimal string in
 * the currency's lowest unit (cents: "123.45" is $1.23), with {@code workspace_id}, and, grouped by description,
 * {@code description}, {@code model}, {@code cost_type}, {@code token_type}, {@code service_tier},
 * {@code context_window}, {@code inference_geo}.</li>
 * <li>CSV with a header: a day ({@code date}, {@code day}, {@code start_time} or {@code starting_at}: a date or an
 * RFC 3339 instant), an amount in dollars ({@code amount_usd}, {@code cost_usd}, {@code cost} or {@code amount}),
 * and optionally {@code model}, a workspace ({@code workspace}, {@code workspace_id}, {@code project_id} or
 * {@code project}) and a line item ({@code line_item} or {@code description}).</li>
 * </ul>
 * A JSON document may also be an array of such pages. Each line's key is the provider and everything that
 * identifies the line in its export (the bucket's start and the grouping values), so the same page imported again
 * gives the same keys.
 */
final class BillParser {
    static final int MAX_LINES = 100_000;
    private static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(1_000_000_000L);
    private static final int MAX_KEY = 1000;
    private static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

    /** A line as read, before it is stored. */
    record Line(String lineKey, LocalDate day, String model, String workspace, String lineItem, BigDecimal amountUsd) {
    }

    private BillParser() {
    }

    static List<Line> parse(BillSource source, String format, String document) {
        Map<String, Line> lines = new LinkedHashMap<>();
        if ("CSV".equals(format)) {
            csv(source, document, lines);
        } else {
            Object json;
            try {
                json = JsonTree.read(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new BadInputException("document", "document is not valid JSON");
            }
            for (Object page : json instanceof List<?> pages ? pages : List.of(json)) {
                for (Object bucket : list(field(page, "data"), "data")) {
                    if (source == BillSource.OPENAI) {
                        openAiBucket(bucket, lines);
                    } else {
                        anthropicBucket(bucket, lines);
                    }
                }
            }
        }
        return List.copyOf(lines.values());
    }

    private static void openAiBucket(Object bucket, Map<String, Line> lines) {
        BigDecimal start = number(field(bucket, "start_time"), "data.start_time");
        LocalDate day;
        try {
            day = Instant.ofEpochSecond(start.longValueExact()).atOffset(ZoneOffset.UTC).toLocalDate();
        } catch (ArithmeticException | DateTimeException e) {
            throw new BadInputException("document", "data.start_time must be whole epoch seconds");
        }
        for (Object result : list(field(bucket, "results"), "data.results")) {
            Object amount = field(result, "amount");
            currency(field(amount, "currency"), "data.results.amount.currency");
            BigDecimal usd = number(field(amount, "value"), "data.results.amount.value");
            String project = text(field(result, "project_id"), "data.results.project_id");
            String item = text(field(result, "line_item"), "data.results.line_item");
            add(lines, new Line(key(BillSource.OPENAI, start.toPlainString(), project, item), check(day), null, project, item, amount(usd)));
        }
    }

    private static void anthropicBucket(Object bucket, Map<String, Line> lines) {
        String start = text(field(bucket, "starting_at"), "data.starting_at");
        LocalDate day;
        try {
            day = OffsetDateTime.parse(start == null ? "" : start).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeException e) {
            throw new BadInputException("document", "data.starting_at must be an RFC 3339 instant");
        }
        for (Object result : list(field(bucket, "results"), "data.results")) {
            currency(field(result, "currency"), "data.results.currency");
            Object cents = field(result, "amount");
            BigDecimal amount;
            try {
                amount = cents instanceof String s ? new BigDecimal(s) : number(cents, "data.results.amount");
            } catch (NumberFormatException e) {
                throw new BadInputException("document", "data.results.amount must be a decimal string");
            }
            String workspace = text(field(result, "workspace_id"), "data.results.workspace_id");
            String description = text(field(result, "description"), "data.results.description");
            String model = text(field(result, "model"), "data.results.model");
            List<String> grouping = new ArrayList<>(List.of(start));
            for (String name : List.of("workspace_id", "description", "cost_type", "context_window", "model", "service_tier",
                    "token_type", "inference_geo")) {
                String value = text(field(result, name), "data.results." + name);
                grouping.add(value == null ? "" : value);
            }
            add(lines, new Line(key(BillSource.ANTHROPIC, grouping.toArray(String[]::new)), check(day), model, workspace, description,
                    amount(amount.movePointLeft(2))));
        }
    }

    private static void csv(BillSource source, String document, Map<String, Line> lines) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true).setTrim(true).build();
        try (CSVParser parser = CSVParser.parse(new StringReader(document), format)) {
            Map<String, Integer> header = parser.getHeaderMap();
            String dayColumn = column(header, "date", "day", "start_time", "starting_at");
            String amountColumn = column(header, "amount_usd", "cost_usd", "cost", "amount");
            if (dayColumn == null || amountColumn == null) {
                throw new BadInputException("document", "a CSV bill needs a header with a day column (date, day, start_time or starting_at) "
                        + "and an amount in dollars (amount_usd, cost_usd, cost or amount)");
            }
            String modelColumn = column(header, "model");
            String workspaceColumn = column(header, "workspace", "workspace_id", "project_id", "project");
            String itemColumn = column(header, "line_item", "description");
            for (CSVRecord row : parser) {
                if (lines.size() >= MAX_LINES) {
                    throw new BadInputException("document", "a bill may hold at most " + MAX_LINES + " lines; import it in parts");
                }
                LocalDate day = csvDay(row.get(dayColumn), row.getRecordNumber());
                BigDecimal usd;
                try {
                    usd = new BigDecimal(row.get(amountColumn));
                } catch (NumberFormatException e) {
                    throw new BadInputException("document", "line " + (row.getRecordNumber() + 1) + ": the amount is not a decimal number");
                }
                String model = cell(row, modelColumn);
                String workspace = cell(row, workspaceColumn);
                String item = cell(row, itemColumn);
                Line line = new Line(key(source, "csv", day.toString(), model == null ? "" : model, workspace == null ? "" : workspace,
                        item == null ? "" : item), check(day), model, workspace, item, amount(usd));
                // rows of one CSV with the same day, model, workspace and item are parts of one line
                lines.merge(line.lineKey(), line, (a, b) -> new Line(a.lineKey(), a.day(), a.model(), a.workspace(), a.lineItem(),
                        amount(a.amountUsd().add(b.amountUsd()))));
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new BadInputException("document", "document is not a well-formed CSV bill");
        }
    }

    private static String column(Map<String, Integer> header, String... names) {
        for (String name : names) {
            for (String present : header.keySet()) {
                if (present.trim().equalsIgnoreCase(name)) {
                    return present;
                }
            }
        }
        return null;
    }

    private static String cell(CSVRecord row, String column) {
        if (column == null) {
            return null;
        }
        String value = row.get(column);
        return value == null || value.isBlank() ? null : bounded(value.strip());
    }

    private static LocalDate csvDay(String text, long record) {
        try {
            return text.length() <= 10 ? LocalDate.parse(text) : OffsetDateTime.parse(text).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeException e) {
            throw new BadInputException("document", "line " + (record + 1) + ": the day is not a date (YYYY-MM-DD) or an RFC 3339 instant");
        }
    }

    private static void add(Map<String, Line> lines, Line line) {
        if (lines.size() >= MAX_LINES && !lines.containsKey(line.lineKey())) {
            throw new BadInputException("document", "a bill may hold at most " + MAX_LINES + " lines; import it in parts");
        }
        lines.merge(line.lineKey(), line, (a, b) -> b);
    }

    private static LocalDate check(LocalDate day) {
        if (day.isBefore(EARLIEST) || day.isAfter(LocalDate.now(ZoneOffset.UTC).plusDays(1))) {
            throw new BadInputException("document", "a bill's day must be from 2000-01-01 to tomorrow");
        }
        return day;
    }

    private static BigDecimal amount(BigDecimal usd) {
        if (usd.abs().compareTo(MAX_AMOUNT) > 0) {
            throw new BadInputException("document", "an amount is beyond a billion dollars");
        }
        if (usd.scale() > 10) {
            usd = usd.setScale(10, java.math.RoundingMode.HALF_EVEN);
        }
        return usd;
    }

    /** The provider and the line's identifying values; hashed when too long to store whole. */
    private static String key(BillSource source, String... parts) {
        String key = source.code + "|" + String.join("|", parts);
        if (key.length() <= MAX_KEY) {
            return key;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return source.code + "|sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object field(Object object, String name) {
        if (!(object instanceof Map<?, ?> map)) {
            throw new BadInputException("document", "document does not have the shape of the provider's cost export (expected an object holding "
                    + name + ")");
        }
        return map.get(name);
    }

    private static List<?> list(Object value, String path) {
        if (!(value instanceof List<?> list)) {
            throw new BadInputException("document", path + " must be a list");
        }
        return list;
    }

    private static BigDecimal number(Object value, String path) {
        if (!(value instanceof BigDecimal number)) {
            throw new BadInputException("document", path + " must be a number");
        }
        return number;
    }

    private static String text(Object value, String path) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new BadInputException("document", path + " must be a string");
        }
        return bounded(s);
    }

    private static String bounded(String s) {
        if (s.length() > 200) {
            throw new BadInputException("document", "a name in the bill is longer than 200 characters");
        }
        return s;
    }

    private static void currency(Object value, String path) {
        if (value != null && !(value instanceof String s && s.equalsIgnoreCase("usd"))) {
            throw new BadInputException("document", path + " must be USD");
        }
    }

    /** The providers whose exports are read. */
    enum BillSource {
        OPENAI("openai"), ANTHROPIC("anthropic");

        final String code;

        BillSource(String code) {
            this.code = code;
        }

        static BillSource of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }
}

package dev.aiusage.intake.bulk;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.JsonTree;
import dev.aiusage.ingest.IngestService;
import dev.aiusage.ingest.RejectedUsage;
import dev.aiusage.intake.Candidate;
import dev.aiusage.intake.IntakeResult;
import dev.aiusage.intake.IntakeService;
import dev.aiusage.intake.ItemRefusal;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Imports history from a JSONL or CSV file of any size, in any order: streamed (one batch of {@value
 * IngestService#MAX_BATCH} rows in memory at a time, no line over a MiB), each batch one ingest transaction, so a
 * crash loses only the batch in flight and importing the file again stores only what is missing (rows are idempotent
 * by request id, a row without one by its content). Progress is visible while it runs ({@link #jobs}); the last
 * {@value #KEPT_JOBS} imports are kept in memory with their summaries.
 */
@Singleton
public class BulkImporter {
    static final int KEPT_REJECTIONS = 100;
    static final int KEPT_JOBS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(BulkImporter.class);

    /** How a file is written: one JSON object per line, or CSV with a header line. */
    public enum Format {
        JSONL, CSV;

        /** The format a name, a file name or a media type says, else null. */
        public static @Nullable Format of(@Nullable String said) {
            if (said == null) {
                return null;
            }
            String s = said.toLowerCase(Locale.ROOT);
            if (s.equals("csv") || s.endsWith(".csv") || s.startsWith("text/csv")) {
                return CSV;
            }
            if (s.equals("jsonl") || s.equals("ndjson") || s.endsWith(".jsonl") || s.endsWith(".ndjson") || s.endsWith(".json")
                    || s.startsWith("application/x-ndjson") || s.startsWith("application/jsonl") || s.startsWith("application/json")) {
                return JSONL;
            }
            return null;
        }
    }

    /** What a row lacks, from the import's options: a team, a task type, a provider. */
    public record Options(@Nullable String name, Format format, @Nullable String team, @Nullable String taskType, @Nullable String provider,
                          @Nullable Long totalBytes) {
    }

    private final IntakeService intake;
    private final Clock clock;
    private final Deque<Job> jobs = new ArrayDeque<>();

    BulkImporter(IntakeService intake, Clock clock) {
        this.intake = intake;
        this.clock = clock;
    }

    /** The imports running and the last ones finished, newest first. */
    public List<ImportProgress> jobs() {
        synchronized (jobs) {
            return jobs.stream().map(Job::progress).toList();
        }
    }

    public Optional<ImportProgress> job(String id) {
        synchronized (jobs) {
            return jobs.stream().filter(j -> j.id.equals(id)).findFirst().map(Job::progress);
        }
    }

    /**
     * Reads {@code in} to its end (or to a fault that stops the reading: then FAILED, what came before stored) and
     * answers the summary; {@code onProgress} is told after each batch.
     */
    public ImportProgress run(InputStream in, Options options, java.util.function.Consumer<ImportProgress> onProgress) {
        Rows.Defaults defaults = new Rows.Defaults(blank(options.team()), blank(options.taskType()), blank(options.provider()));
        Job job = new Job(options, clock.instant());
        synchronized (jobs) {
            jobs.addFirst(job);
            while (jobs.size() > KEPT_JOBS) {
                jobs.removeLast();
            }
        }
        Counting counted = new Counting(in, job.bytesRead);
        Batch batch = new Batch(job, defaults, onProgress);
        try (BoundedLines text = new BoundedLines(new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            if (options.format() == Format.CSV) {
                csv(text, batch);
            } else {
                jsonl(text, batch);
            }
            batch.flush();
            job.finish("DONE", null, clock.instant());
        } catch (BadInputException e) {
            job.finish("FAILED", e.getMessage(), clock.instant());
        } catch (IOException | UncheckedIOException e) {
            LOG.info("import {} stopped reading after line {}: {}", job.id, job.lines.get(), e.toString());
            // the rows read before the fault are good: stored, so that importing the mended file adds only the rest
            try {
                batch.flush();
            } catch (RuntimeException stored) {
                LOG.error("import {}: the rows before the fault could not be stored", job.id, stored);
            }
            job.finish("FAILED", "the file could not be read on after line " + job.lines.get() + ": " + reason(e), clock.instant());
        } catch (RuntimeException e) {
            LOG.error("import {} stopped", job.id, e);
            job.finish("FAILED", "the import stopped after line " + job.lines.get() + " (reference " + job.id + " in the service log)", clock.instant());
        }
        ImportProgress done = job.progress();
        onProgress.accept(done);
        return done;
    }

    private static String reason(Exception e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof java.nio.charset.CharacterCodingException) {
            return "it is not UTF-8";
        }
        String message = t.getMessage() == null ? "" : t.getMessage();
        if (message.startsWith("a line is longer") || message.startsWith("a record is longer")) {
            return message;
        }
        // commons-csv's messages quote the file's content: say only what kind of fault it is
        if (message.contains("EOF reached before encapsulated token finished")) {
            return "a quoted CSV field is not closed";
        }
        if (message.contains("invalid char between encapsulated token and delimiter")) {
            return "a character follows a closing quote in a CSV field";
        }
        return "the body could not be read to its end";
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private void jsonl(BoundedLines text, Batch batch) throws IOException {
        String line;
        long number = 0;
        while ((line = text.readLine()) != null) {
            number++;
            batch.job.lines.set(number);
            if (line.isBlank()) {
                continue;
            }
            Object value;
            try {
                value = JsonTree.read(line);
            } catch (IOException e) {
                value = null;
            }
            if (!(value instanceof Map<?, ?> object)) {
                batch.add(number, new Candidate.Refused(null, "line", "the line is not a JSON object"));
                continue;
            }
            Map<String, Object> values = new HashMap<>();
            Map<String, String> columns = new HashMap<>();
            for (Map.Entry<?, ?> entry : object.entrySet()) {
                String key = entry.getKey().toString();
                Object v = entry.getValue();
                if (key.equals("promptTemplate") && v instanceof Map<?, ?> template) {
                    // our GraphQL input's shape: {"name": ..., "version": ...}
                    values.put("promptTemplate", template.get("name"));
                    values.put("promptVersion", template.get("version"));
                    continue;
                }
                String field = Columns.fieldOf(key);
                if (field == null) {
                    batch.job.ignored(key);
                } else if (v != null && !values.containsKey(field)) {
                    values.put(field, v instanceof Map<?, ?> || v instanceof List<?> ? "" : v);
                    columns.put(field, key);
                }
            }
            batch.add(number, values, columns, line);
        }
    }

    private void csv(BoundedLines text, Batch batch) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true).setAllowMissingColumnNames(true).setDuplicateHeaderMode(org.apache.commons.csv.DuplicateHeaderMode.ALLOW_ALL)
                .build();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            List<String> header = parser.getHeaderNames();
            Map<Integer, String> fieldAt = new LinkedHashMap<>();
            Map<String, String> columns = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String field = Columns.fieldOf(header.get(i));
                if (field == null || columns.containsKey(field)) {
                    batch.job.ignored(header.get(i));
                } else {
                    fieldAt.put(i, field);
                    columns.put(field, header.get(i));
                }
            }
            require(columns, "model", null);
            require(columns, "provider", batch.defaults.provider());
            require(columns, "team", batch.defaults.team());
            require(columns, "taskType", batch.defaults.taskType());
            text.mark();
            Iterator<CSVRecord> records = parser.iterator();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                text.mark();
                long line = record.getRecordNumber() + 1;
                batch.job.lines.set(line);
                Map<String, Object> values = new HashMap<>();
                StringBuilder content = new StringBuilder();
                for (int i = 0; i < record.size(); i++) {
                    String field = fieldAt.get(i);
                    String value = record.get(i);
                    content.append(value).append('\u0001');
                    if (field != null && !value.isEmpty()) {
                        values.put(field, value);
                    }
                }
                batch.add(line, values, columns, content.toString());
            }
        }
    }

    private static void require(Map<String, String> columns, String field, String fallback) {
        if (!columns.containsKey(field) && fallback == null) {
            String option = switch (field) {
                case "team" -> ", or give a team for every row (team)";
                case "taskType" -> ", or give a task type for every row (taskType)";
                case "provider" -> ", or give a provider for every row (provider)";
                default -> "";
            };
            throw new BadInputException(field, "the header names no column for " + field + " (one of " + String.join(", ", Columns.ALIASES.get(field)) + ")" + option);
        }
    }

    /** The rows read since the last store, with their line numbers. */
    private final class Batch {
        private final Job job;
        private final Rows.Defaults defaults;
        private final java.util.function.Consumer<ImportProgress> onProgress;
        private final List<Candidate> items = new ArrayList<>(IngestService.MAX_BATCH);
        private final long[] lines = new long[IngestService.MAX_BATCH];
        /** Each row's names for its fields: JSONL rows may each use other keys, so a refusal names the row's own. */
        @SuppressWarnings("unchecked")
        private final Map<String, String>[] columns = new Map[IngestService.MAX_BATCH];

        Batch(Job job, Rows.Defaults defaults, java.util.function.Consumer<ImportProgress> onProgress) {
            this.job = job;
            this.defaults = defaults;
            this.onProgress = onProgress;
        }

        void add(long line, Map<String, Object> values, Map<String, String> columns, String content) {
            Candidate item;
            try {
                item = new Candidate.Call(Rows.input(values, columns, defaults, content));
            } catch (ItemRefusal r) {
                item = r.refused(null);
            }
            add(line, item, columns);
        }

        void add(long line, Candidate item) {
            add(line, item, Map.of());
        }

        private void add(long line, Candidate item, Map<String, String> names) {
            lines[items.size()] = line;
            columns[items.size()] = names;
            items.add(item);
            if (items.size() == IngestService.MAX_BATCH) {
                flush();
            }
        }

        void flush() {
            if (items.isEmpty()) {
                return;
            }
            IntakeResult result = intake.take(items, 0, java.util.function.UnaryOperator.identity());
            job.accepted.addAndGet(result.accepted());
            job.duplicates.addAndGet(result.duplicates());
            for (RejectedUsage r : result.rejected()) {
                // refusals made while mapping name the file's column already; getOrDefault leaves them as they are
                String field = r.field() == null ? null : columns[r.index()].getOrDefault(r.field(), r.field());
                job.reject(new ImportProgress.RowRejection(lines[r.index()], r.requestId(), field, r.message()));
            }
            items.clear();
            java.util.Arrays.fill(columns, null);
            onProgress.accept(job.progress());
        }
    }

    /** An import's counters, read while it runs. */
    private static final class Job {
        final String id = UUID.randomUUID().toString().substring(0, 8);
        final Options options;
        final Instant started;
        final AtomicLong bytesRead = new AtomicLong();
        final AtomicLong lines = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final List<ImportProgress.RowRejection> rejections = new ArrayList<>();
        final List<String> ignoredColumns = new ArrayList<>();
        volatile String state = "RUNNING";
        volatile Instant finished;
        volatile String message;

        Job(Options options, Instant started) {
            this.options = options;
            this.started = started;
        }

        synchronized void reject(ImportProgress.RowRejection rejection) {
            rejected.incrementAndGet();
            if (rejections.size() < KEPT_REJECTIONS) {
                rejections.add(rejection);
            }
        }

        synchronized void ignored(String column) {
            if (ignoredColumns.size() < 100 && !ignoredColumns.contains(column)) {
                ignoredColumns.add(column);
            }
        }

        void finish(String state, String message, Instant at) {
            this.message = message;
            this.finished = at;
            this.state = state;
        }

        synchronized ImportProgress progress() {
            Instant end = finished == null ? Instant.now() : finished;
            double seconds = Math.max(0.001, Duration.between(started, end).toNanos() / 1e9);
            return new ImportProgress(id, options.name(), options.format().name(), state, started, finished, bytesRead.get(), options.totalBytes(),
                    lines.get(), accepted.get(), duplicates.get(), rejected.get(), List.copyOf(rejections), List.copyOf(ignoredColumns),
                    Math.round(accepted.get() / seconds * 10) / 10.0, message);
        }
    }

    /** Counts the bytes read, for progress against the file's size. */
    private static final class Counting extends FilterInputStream {
        private final AtomicLong count;

        Counting(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}

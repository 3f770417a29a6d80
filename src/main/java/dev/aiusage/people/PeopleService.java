package dev.aiusage.people;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.Names;
import jakarta.inject.Singleton;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Keeps the people directory and the access events, from GraphQL batches and from CSV exports of HR and IAM
 * systems. Each row is checked on its own: the good ones are stored together, each bad one is reported with
 * its position and the field at fault, and nothing of it is stored.
 */
@Singleton
public class PeopleService {
    public static final int MAX_BATCH = 5000;
    public static final int MAX_IMPORT_ROWS = 100_000;
    static final List<String> PEOPLE_COLUMNS = List.of("user", "display_name", "team", "level", "start_date");
    static final List<String> ACCESS_COLUMNS = List.of("user", "event", "at");
    private static final int MAX_NOTE = 500;
    /** Clocks differ a little; an event stamped up to this far ahead is taken as now. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final PeopleStore store;
    private final Clock clock;

    public PeopleService(PeopleStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A person as a client sends it; every field still unchecked. */
    public record PersonInput(String user, String displayName, String team, String level, LocalDate startDate) {
    }

    /** An access event as a client sends it. */
    public record AccessEventInput(String user, String kind, Instant at, String note) {
    }

    public ImportResult upsertPeople(List<PersonInput> inputs) {
        checkBatch(inputs.size());
        List<RowProblem> rejected = new ArrayList<>();
        Map<String, Person> valid = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            try {
                Person p = person(inputs.get(i));
                valid.put(p.user(), p);
            } catch (BadInputException e) {
                rejected.add(new RowProblem(i, e.field(), e.getMessage()));
            }
        }
        store.upsert(List.copyOf(valid.values()), clock.instant());
        return new ImportResult(inputs.size() - rejected.size(), rejected);
    }

    public ImportResult recordAccessEvents(List<AccessEventInput> inputs) {
        checkBatch(inputs.size());
        List<RowProblem> rejected = new ArrayList<>();
        List<AccessEvent> valid = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            try {
                valid.add(event(inputs.get(i)));
            } catch (BadInputException e) {
                rejected.add(new RowProblem(i, e.field(), e.getMessage()));
            }
        }
        store.addEvents(valid);
        return new ImportResult(valid.size(), rejected);
    }

    /** An HR export: {@code user,display_name,team,level,start_date} with a header line, in any column order. */
    public CsvImportResult importPeople(String csv) {
        Map<String, Person> valid = new LinkedHashMap<>();
        List<LineProblem> rejected = new ArrayList<>();
        int[] accepted = {0};
        parse(csv, PEOPLE_COLUMNS, (line, row) -> {
            try {
                String start = row.getOrDefault("start_date", "");
                Person p = person(new PersonInput(row.get("user"), row.get("display_name"), row.get("team"), row.get("level"),
                        start.isBlank() ? null : date("start_date", start)));
                valid.put(p.user(), p);
                accepted[0]++;
            } catch (BadInputException e) {
                rejected.add(new LineProblem(line, e.field(), e.getMessage()));
            }
        });
        store.upsert(List.copyOf(valid.values()), clock.instant());
        return new CsvImportResult(accepted[0], rejected);
    }

    /**
     * An IAM export: {@code user,event,at[,note]} where event is requested, granted or revoked and {@code at} an
     * RFC 3339 instant or a date (its start, UTC).
     */
    public CsvImportResult importAccessEvents(String csv) {
        List<AccessEvent> valid = new ArrayList<>();
        List<LineProblem> rejected = new ArrayList<>();
        parse(csv, ACCESS_COLUMNS, (line, row) -> {
            try {
                valid.add(event(new AccessEventInput(row.get("user"), row.get("event"), instant("at", row.get("at")), row.get("note"))));
            } catch (BadInputException e) {
                rejected.add(new LineProblem(line, e.field(), e.getMessage()));
            }
        });
        store.addEvents(valid);
        return new CsvImportResult(valid.size(), rejected);
    }

    public List<Person> people(List<String> teams) {
        return store.people(teams);
    }

    private Person person(PersonInput in) {
        String user = Names.require("user", nullToEmpty(in.user()));
        String displayName = Names.require("displayName", nullToEmpty(in.displayName()));
        String team = Names.require("team", nullToEmpty(in.team()));
        Level level;
        try {
            level = Level.valueOf(nullToEmpty(in.level()).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("level", "level must be one of JUNIOR, MID, SENIOR, STAFF, PRINCIPAL");
        }
        if (in.startDate() != null && in.startDate().getYear() < 1900) {
            throw new BadInputException("startDate", "startDate must be after 1900");
        }
        return new Person(user, displayName, team, level, in.startDate());
    }

    private AccessEvent event(AccessEventInput in) {
        String user = Names.require("user", nullToEmpty(in.user()));
        AccessEvent.Kind kind;
        try {
            kind = AccessEvent.Kind.valueOf(nullToEmpty(in.kind()).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("kind", "the event must be one of requested, granted, revoked");
        }
        if (in.at() == null) {
            throw new BadInputException("at", "at is required");
        }
        if (in.at().isAfter(clock.instant().plus(CLOCK_SKEW))) {
            throw new BadInputException("at", "at is in the future");
        }
        String note = in.note() == null || in.note().isBlank() ? null : in.note().strip();
        if (note != null && (note.length() > MAX_NOTE || note.chars().anyMatch(Character::isISOControl))) {
            throw new BadInputException("note", "note must be at most " + MAX_NOTE + " characters without control characters");
        }
        return new AccessEvent(user, kind, in.at(), note);
    }

    /** Reads a CSV text with a header line; calls {@code row} with each data line's number and its values by column. */
    private static void parse(String csv, List<String> required, BiConsumer<Long, Map<String, String>> row) {
        // no trimming by the parser: String.trim would drop control characters that the name rules must see and refuse
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true)
                .setIgnoreEmptyLines(true).build();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv.startsWith("\uFEFF") ? csv.substring(1) : csv), format)) {
            List<String> header = parser.getHeaderNames().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
            List<String> missing = required.stream().filter(c -> !header.contains(c)).toList();
            if (!missing.isEmpty()) {
                throw new BadInputException("header", "the header line must name the columns " + String.join(", ", required)
                        + "; missing: " + String.join(", ", missing));
            }
            long rows = 0;
            for (CSVRecord record : parser) {
                if (++rows > MAX_IMPORT_ROWS) {
                    throw new BadInputException("csv", "an import holds at most " + MAX_IMPORT_ROWS + " rows; split the file");
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < header.size() && i < record.size(); i++) {
                    values.put(header.get(i), record.get(i));
                }
                row.accept(parser.getCurrentLineNumber(), values);
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new BadInputException("csv", "the file is not valid CSV with a header line (check quotes and the header)");
        }
    }

    private static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new BadInputException(field, field + " must be a date such as 2024-03-01");
        }
    }

    private static Instant instant(String field, String value) {
        String v = nullToEmpty(value).strip();
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadInputException(field, field + " must be an instant with an offset (2024-03-01T09:00:00Z) or a date (2024-03-01)");
        }
    }

    private static void checkBatch(int size) {
        if (size > MAX_BATCH) {
            throw new BadInputException("batch", "a batch holds at most " + MAX_BATCH + " rows");
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}

package dev.aiusage.report;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * When the weekly report runs: a crontab expression (five fields, as in {@code crontab -e}) read in a time
 * zone, so "Monday 09:00" stays 09:00 local across daylight-saving changes. Parsed at start-up: a bad
 * expression stops the service with a message naming the setting.
 */
@Context
public class WeeklySchedule {
    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime executions;

    public WeeklySchedule(@Value("${aiusage.report.schedule.cron:0 9 * * MON}") String expression,
                          @Value("${aiusage.report.schedule.time-zone:UTC}") String zone) {
        this.expression = expression.strip();
        try {
            this.zone = ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw new IllegalStateException("aiusage.report.schedule.time-zone is not a time zone id (e.g. UTC, Europe/Berlin)");
        }
        try {
            this.executions = ExecutionTime.forCron(new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX))
                    .parse(this.expression).validate());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("aiusage.report.schedule.cron is not a five-field crontab expression (e.g. 0 9 * * MON)");
        }
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first run after {@code after}. */
    public Optional<Instant> nextRun(Instant after) {
        return executions.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    /**
     * The runs in {@code (after, upTo]}, oldest first, at most the last {@code keep} of them; {@code skipped}
     * says how many older ones there were.
     */
    public Runs runsBetween(Instant after, Instant upTo, int keep) {
        Deque<Instant> kept = new ArrayDeque<>();
        long skipped = 0;
        Optional<Instant> next = nextRun(after);
        while (next.isPresent() && !next.get().isAfter(upTo)) {
            kept.addLast(next.get());
            if (kept.size() > keep) {
                kept.removeFirst();
                skipped++;
            }
            next = nextRun(next.get());
        }
        return new Runs(List.copyOf(kept), skipped);
    }

    public record Runs(List<Instant> due, long skipped) {
    }
}

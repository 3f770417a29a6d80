package dev.aiusage.intake;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.Names;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.store.UniqueViolation;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The failed calls, kept apart from usage: stored once per team and request id (a sender's retry is a duplicate),
 * and counted by source, provider, model, team and error for {@code failedCalls}.
 */
@Singleton
public class FailedCalls {
    private final FailedCallRepository repository;
    private final TransactionOperations<Connection> transactions;

    FailedCalls(FailedCallRepository repository, TransactionOperations<Connection> transactions) {
        this.repository = repository;
        this.transactions = transactions;
    }

    /** The failure with its names checked as a record's are; a {@link BadInputException} names the field at fault. */
    static FailedCall checked(FailedCall call) {
        return new FailedCall(null, call.ts(), call.source(), Names.require("provider", call.provider()),
                optional("model", call.model()), Names.require("team", call.team()), optional("user", call.userName()),
                optional("workflow", call.workflow()), optional("taskType", call.taskType()), optional("requestId", call.requestId()),
                optional("errorType", call.errorType()), call.latencyMs() == null || call.latencyMs() < 0 ? null : call.latencyMs());
    }

    private static String optional(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        // an error class may be long; keep what fits rather than refuse the failure
        return field.equals("errorType") && trimmed.length() > Names.MAX_LENGTH ? trimmed.substring(0, Names.MAX_LENGTH) : Names.require(field, trimmed);
    }

    /** Stores the failures not stored before; a concurrent store of the same ones is waited out and retried once. */
    int record(List<FailedCall> calls) {
        if (calls.isEmpty()) {
            return 0;
        }
        try {
            return transactions.executeWrite(status -> insert(calls));
        } catch (RuntimeException e) {
            if (!UniqueViolation.causes(e)) {
                throw e;
            }
            return transactions.executeWrite(status -> insert(calls));
        }
    }

    private int insert(List<FailedCall> calls) {
        List<String> ids = calls.stream().map(FailedCall::requestId).filter(id -> id != null).distinct().toList();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i += 1000) {
            repository.findKeys(ids.subList(i, Math.min(ids.size(), i + 1000))).forEach(k -> seen.add(k.team() + '\u0000' + k.requestId()));
        }
        List<FailedCall> fresh = new ArrayList<>();
        for (FailedCall call : calls) {
            if (call.requestId() == null || seen.add(call.team() + '\u0000' + call.requestId())) {
                fresh.add(call);
            }
        }
        repository.saveAll(fresh);
        return fresh.size();
    }

    /** Counts of the window's failed calls, by source, provider, model, team and error type; at most 1,000 groups. */
    public List<FailedCallGroup> groups(TimeWindow window, String team) {
        return team == null ? repository.groups(window.from(), window.to()) : repository.groupsOfTeam(window.from(), window.to(), team);
    }
}

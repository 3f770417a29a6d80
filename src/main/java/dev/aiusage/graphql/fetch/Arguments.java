package dev.aiusage.graphql.fetch;

import dev.aiusage.graphql.Guard;
import dev.aiusage.graphql.Scalars;
import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.TimeWindow;
import dev.aiusage.domain.UsageFilter;
import dev.aiusage.ingest.UsageInput;
import dev.aiusage.people.PeopleService;
import graphql.schema.DataFetchingEnvironment;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Reads the arguments the schema declares into domain values. graphql-java has already checked their
 * types; the domain constructors check their ranges.
 */
final class Arguments {
    static final String DAYS = "days";
    static final String FROM = "from";
    static final String TO = "to";
    static final String FILTER = "filter";

    private Arguments() {
    }

    static TimeWindow window(DataFetchingEnvironment env, Clock clock) {
        return TimeWindow.resolve(env.getArgument(DAYS), env.getArgument(FROM), env.getArgument(TO), clock);
    }

    /** The filter argument, narrowed to what the caller may read. */
    static UsageFilter filter(DataFetchingEnvironment env) {
        Map<String, Object> filter = env.getArgument(FILTER);
        UsageFilter asked = filter == null ? UsageFilter.NONE
                : new UsageFilter(strings(filter, "teams"), strings(filter, "users"), strings(filter, "providers"),
                strings(filter, "models"), strings(filter, "workflows"), strings(filter, "taskTypes"));
        return Guard.access(env).scope(asked);
    }

    /** A list length asked for: 1 to 1,000. */
    static int first(int first) {
        if (first < 1 || first > 1000) {
            throw new BadInputException("first", "first must be between 1 and 1000");
        }
        return first;
    }

    /** The {@code teams} argument, narrowed to what the caller may read (a TEAM key: its own team). */
    static List<String> teams(DataFetchingEnvironment env) {
        List<String> teams = env.getArgument("teams");
        return Guard.access(env).scope(new UsageFilter(teams, null, null, null, null, null)).teams();
    }

    static PeopleService.PersonInput person(Map<String, Object> in) {
        return new PeopleService.PersonInput((String) in.get("user"), (String) in.get("displayName"), (String) in.get("team"),
                (String) in.get("level"), (LocalDate) in.get("startDate"));
    }

    static PeopleService.AccessEventInput accessEvent(Map<String, Object> in) {
        return new PeopleService.AccessEventInput((String) in.get("user"), (String) in.get("kind"),
                Scalars.instant((OffsetDateTime) in.get("at")), (String) in.get("note"));
    }

    static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new BadInputException("id", "id is not the id of an API key");
        }
    }

    @SuppressWarnings("unchecked")
    static UsageInput usageInput(Map<String, Object> in) {
        Map<String, Object> template = (Map<String, Object>) in.get("promptTemplate");
        return new UsageInput((OffsetDateTime) in.get("ts"), (String) in.get("provider"), (String) in.get("model"),
                (String) in.get("team"), (String) in.get("user"), (String) in.get("taskType"),
                (String) in.get("workflow"), (Integer) in.get("inputTokens"), (Integer) in.get("outputTokens"),
                (Double) in.get("costUsd"), (Integer) in.get("latencyMs"), (Double) in.get("qualityScore"),
                (Boolean) in.get("passedQuality"), (String) in.get("requestId"), (String) in.get("sessionId"),
                template == null ? null : (String) template.get("name"), template == null ? null : (String) template.get("version"),
                (Integer) in.get("promptChars"), (Integer) in.get("cacheReadTokens"), (Integer) in.get("cacheWriteTokens"),
                (Integer) in.get("cacheWrite1hTokens"), (Integer) in.get("reasoningTokens"), (String) in.get("serviceTier"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> map, String key) {
        return (List<String>) map.get(key);
    }
}

package dev.aiusage.graphql.fetch;

import dev.aiusage.people.ImportResult;
import dev.aiusage.people.PeopleService;
import dev.aiusage.people.Person;
import graphql.schema.DataFetchingEnvironment;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * The fetchers of {@code schema/people.graphqls}: the people directory and access events. Each reads its
 * arguments, makes one service call and returns; {@code GraphQLFactory} wires them to the schema.
 */
@Singleton
public class PeopleFetchers {
    private final PeopleService directory;

    PeopleFetchers(PeopleService directory) {
        this.directory = directory;
    }

    public List<Person> people(DataFetchingEnvironment env) {
        return directory.people(Arguments.teams(env));
    }

    public ImportResult upsertPeople(DataFetchingEnvironment env) {
        List<Map<String, Object>> people = env.getArgument("people");
        return directory.upsertPeople(people.stream().map(Arguments::person).toList());
    }

    public ImportResult recordAccessEvents(DataFetchingEnvironment env) {
        List<Map<String, Object>> events = env.getArgument("events");
        return directory.recordAccessEvents(events.stream().map(Arguments::accessEvent).toList());
    }
}

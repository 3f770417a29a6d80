package dev.aiusage.people;

import dev.aiusage.outbound.OutboundStore;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The directory and access-event tables. Writes are standard SQL MERGEs, so a re-import changes nothing twice. */
@Singleton
public class PeopleStore {
    private final JdbcOperations jdbc;

    public PeopleStore(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds each person, or replaces the entry of the same user. */
    @Transactional
    public void upsert(List<Person> people, Instant now) {
        if (people.isEmpty()) {
            return;
        }
        jdbc.prepareStatement("MERGE INTO person t USING (VALUES (CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(200)), "
                + "CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(16)), CAST(? AS DATE), CAST(? AS TIMESTAMP WITH TIME ZONE))) "
                + "AS s(user_name, display_name, team, level, start_date, updated_at) ON t.user_name = s.user_name "
                + "WHEN MATCHED THEN UPDATE SET display_name = s.display_name, team = s.team, level = s.level, "
                + "start_date = s.start_date, updated_at = s.updated_at "
                + "WHEN NOT MATCHED THEN INSERT (user_name, display_name, team, level, start_date, updated_at) "
                + "VALUES (s.user_name, s.display_name, s.team, s.level, s.start_date, s.updated_at)", statement -> {
            for (Person p : people) {
                statement.setString(1, p.user());
                statement.setString(2, p.displayName());
                statement.setString(3, p.team());
                statement.setString(4, p.level().name());
                statement.setDate(5, p.startDate() == null ? null : Date.valueOf(p.startDate()));
                statement.setObject(6, OutboundStore.utc(now));
                statement.addBatch();
            }
            statement.executeBatch();
            return null;
        });
    }

    /** Adds the events not stored yet (same user, kind and instant): importing an export twice adds nothing. */
    @Transactional
    public void addEvents(List<AccessEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.prepareStatement("MERGE INTO access_event t USING (VALUES (CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(16)), "
                + "CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(500)))) AS s(user_name, kind, at, note) "
                + "ON t.user_name = s.user_name AND t.kind = s.kind AND t.at = s.at "
                + "WHEN NOT MATCHED THEN INSERT (user_name, kind, at, note) VALUES (s.user_name, s.kind, s.at, s.note)", statement -> {
            for (AccessEvent e : events) {
                statement.setString(1, e.user());
                statement.setString(2, e.kind().name());
                statement.setObject(3, OutboundStore.utc(e.at()));
                statement.setString(4, e.note());
                statement.addBatch();
            }
            statement.executeBatch();
            return null;
        });
    }

    /** The directory, narrowed to {@code teams} unless empty, in user order. */
    @ReadOnly
    public List<Person> people(List<String> teams) {
        return jdbc.prepareStatement("SELECT user_name, display_name, team, level, start_date FROM person"
                + (teams.isEmpty() ? "" : " WHERE " + teamIn("team", teams)) + " ORDER BY user_name", statement -> {
            bindTeams(statement, teams, 1);
            List<Person> people = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Date start = rs.getDate(5);
                    people.add(new Person(rs.getString(1), rs.getString(2), rs.getString(3), Level.valueOf(rs.getString(4)),
                            start == null ? null : start.toLocalDate()));
                }
            }
            return people;
        });
    }

    /** Access events before {@code before} of the directory's people in {@code teams} (all when empty), by user and time. */
    @ReadOnly
    public List<AccessEvent> events(Instant before, List<String> teams) {
        return jdbc.prepareStatement("SELECT e.user_name, e.kind, e.at, e.note FROM access_event e JOIN person p ON p.user_name = e.user_name "
                + "WHERE e.at < ?" + (teams.isEmpty() ? "" : " AND " + teamIn("p.team", teams)) + " ORDER BY e.user_name, e.at, e.id", statement -> {
            statement.setObject(1, OutboundStore.utc(before));
            bindTeams(statement, teams, 2);
            List<AccessEvent> events = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    events.add(new AccessEvent(rs.getString(1), AccessEvent.Kind.valueOf(rs.getString(2)), OutboundStore.instant(rs, 3),
                            rs.getString(4)));
                }
            }
            return events;
        });
    }

    private static String teamIn(String column, List<String> teams) {
        return column + " IN (" + teams.stream().map(t -> "?").collect(Collectors.joining(", ")) + ")";
    }

    private static void bindTeams(PreparedStatement statement, List<String> teams, int first) throws SQLException {
        int index = first;
        for (String team : teams) {
            statement.setString(index++, team);
        }
    }
}

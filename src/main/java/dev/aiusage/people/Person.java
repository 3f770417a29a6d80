package dev.aiusage.people;

import java.time.LocalDate;

/** A directory entry: {@code user} is the id on usage records; {@code startDate} may be unknown (null). */
public record Person(String user, String displayName, String team, Level level, LocalDate startDate) {
}

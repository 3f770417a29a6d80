package dev.aiusage.support;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** What no error a client sees may contain: SQL, Java class or package names, stack frames. */
public final class Safety {
    private static final List<String> TELLTALES = List.of(
            "SELECT ", "INSERT ", "usage_record", "SQL", "org.h2", "java.", "dev.aiusage", "io.micronaut",
            "graphql.", "Exception", "\tat ", "StringValue{");

    private Safety() {
    }

    public static void assertNoInternals(String text) {
        for (String telltale : TELLTALES) {
            assertFalse(text.contains(telltale), () -> "client-visible text reveals '" + telltale + "': " + text);
        }
    }
}

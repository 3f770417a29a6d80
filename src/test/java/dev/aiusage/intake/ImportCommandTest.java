package dev.aiusage.intake;

import dev.aiusage.support.ChildServer;
import dev.aiusage.support.Json;
import dev.aiusage.support.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code java -jar ai-usage-analytics.jar import FILE} as a real process on the embedded default's file database
 * (the service's main class on the test class path, in the directory it would run in), then the service started on
 * the same file answering for what was imported. The command is the same on PostgreSQL; this runs in the H2 pass.
 */
class ImportCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run command(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.aiusage.Application", "import"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().remove("MICRONAUT_ENVIRONMENTS");
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the import command did not end");
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    @Test
    void importsAFileIntoTheDatabaseTheServiceThenAnswersFrom() throws Exception {
        assumeFalse(Postgres.active(), "the command's own database is the H2 file; the PostgreSQL pass covers the service");
        Files.writeString(dir.resolve("history.jsonl"), """
                {"ts": "2026-09-03T10:00:00Z", "provider": "anthropic", "model": "claude-sonnet-4-5", "team": "cli", "taskType": "chat", "costUsd": 0.5, "requestId": "c-1"}
                {"ts": "2026-09-01T10:00:00Z", "provider": "anthropic", "model": "claude-sonnet-4-5", "team": "cli", "taskType": "chat", "costUsd": 0.25, "requestId": "c-2"}
                {"ts": "2026-09-02T10:00:00Z", "provider": "anthropic", "model": "claude-sonnet-4-5", "team": "cli", "taskType": "chat", "costUsd": -1, "requestId": "c-3"}
                {"ts": "2026-09-02T11:00:00Z", "provider": "anthropic", "model": "claude-sonnet-4-5", "taskType": "chat", "costUsd": 0.125, "requestId": "c-4"}
                """, StandardCharsets.UTF_8);

        Run usage = command();
        assertEquals(2, usage.exit());
        assertTrue(usage.err().startsWith("usage: java -jar ai-usage-analytics.jar import FILE"), usage.err());
        assertEquals(2, command("missing.jsonl").exit());

        Run run = command("history.jsonl", "--team", "cli");
        assertEquals(0, run.exit(), run.err());
        Map<String, Object> summary = Json.parse(run.out().strip());
        assertEquals("DONE", summary.get("state"));
        assertEquals(3, ((Number) summary.get("accepted")).intValue(), "the row without a team takes --team");
        assertEquals(1, ((Number) summary.get("rejected")).intValue());
        assertEquals(Map.of("line", 3, "requestId", "c-3", "field", "costUsd", "message", "costUsd must be a number from 0 to 1000000"),
                ((List<?>) summary.get("rejections")).get(0));
        assertTrue(run.err().contains("import: DONE: 4 lines, 3 stored, 0 duplicates, 1 rejected"), run.err());

        try (ChildServer server = ChildServer.start(dir, ChildServer.freePort())) {
            Map<String, Object> data = server.graphql().inlineData("""
                    { costByTeam(from: "2026-09-01T00:00:00Z", to: "2026-09-04T00:00:00Z", filter: {teams: ["cli"]}) { team totalCost requests } }""", Map.of());
            assertEquals(List.of(Map.of("team", "cli", "totalCost", 0.875, "requests", 3)), Json.list(data, "costByTeam"));
            Run busy = command("history.jsonl");
            assertEquals(1, busy.exit());
            assertTrue(busy.err().contains("if the service is running on this H2 file, post the file to its /import instead"), busy.err());
        }
    }
}

package dev.aiusage.graphql;

import dev.aiusage.support.Json;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GraphQL over HTTP conformance audit of the {@code graphql-http} npm package ({@code auditServer}), run by
 * Node against the real server over loopback: every MUST and SHOULD passes (no {@code error}, no {@code warn}),
 * and so does every MAY. The package is installed from the lock file in {@code src/test/audit} into
 * {@code target/} on first use. The audit sends its ~60 requests all at once from one client; the per-key limit
 * of operations in flight is raised for it, as it checks the protocol, not the limit (RequestPathTest does).
 */
@MicronautTest(transactional = false)
@Property(name = "aiusage.limits.requests-per-key", value = "100")
class GraphQLOverHttpAuditTest {
    private static final Path SOURCE = Path.of("src/test/audit");
    private static final Path WORK = Path.of("target/graphql-http-audit");

    @Inject
    EmbeddedServer server;

    @Test
    void theServerPassesEveryAudit() throws Exception {
        install();
        String out = run(List.of("node", "audit.mjs", server.getURI().resolve("/graphql").toString()), 120);
        List<?> results = (List<?>) Json.parse("{\"results\":" + out.strip() + "}").get("results");
        assertTrue(results.size() >= 60, () -> "the audit ran only " + results.size() + " checks");
        List<?> notOk = results.stream().filter(r -> !"ok".equals(((Map<?, ?>) r).get("status"))).toList();
        assertEquals(List.of(), notOk, "audits that did not pass");
    }

    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "audit.mjs")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/graphql-http"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
        }
    }

    private static String run(List<String> command, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("audit", ".out");
        Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(false)
                .redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed: " + out);
        return out;
    }
}

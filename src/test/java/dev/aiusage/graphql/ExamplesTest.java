package dev.aiusage.graphql;

import dev.aiusage.support.GraphQL;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The saved documents in {@code examples/} that the README points people to must run against the schema as it is. */
@MicronautTest(transactional = false)
class ExamplesTest {
    @Inject
    @Client("/")
    HttpClient client;
    @Inject
    JsonMapper json;

    @Test
    void everyExampleRunsWithoutErrors() throws IOException {
        List<Path> documents;
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            documents = files.filter(p -> p.toString().endsWith(".graphql")).sorted().toList();
        }
        assertFalse(documents.isEmpty());
        GraphQL graphql = new GraphQL(client);
        for (Path document : documents) {
            Path variablesFile = Path.of(document.toString().replace(".graphql", ".json"));
            Map<?, ?> variables = Files.exists(variablesFile) ? json.readValue(Files.readAllBytes(variablesFile), Map.class) : Map.of();
            @SuppressWarnings("unchecked")
            Map<String, Object> response = graphql.post(Files.readString(document), (Map<String, ?>) variables);
            assertNull(response.get("errors"), () -> document + ": " + response.get("errors"));
        }
    }
}

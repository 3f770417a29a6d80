package dev.aiusage.graphql;

import io.micronaut.configuration.graphql.GraphQLJsonSerializer;
import io.micronaut.configuration.graphql.JacksonGraphQLJsonSerializer;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The library's serializer turns a body that is not JSON into a bare RuntimeException, answered as HTTP 500
 * with the parser's message. This one raises {@link UnreadableRequestException}, answered as a client error.
 */
@Singleton
@Replaces(JacksonGraphQLJsonSerializer.class)
class StrictJsonSerializer implements GraphQLJsonSerializer {
    private final JsonMapper mapper;

    StrictJsonSerializer(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String serialize(Object object) {
        try {
            return mapper.writeValueAsString(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> T deserialize(String json, Class<T> type) {
        T value;
        try {
            value = mapper.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableRequestException();
        }
        if (value == null) {
            // a body of JSON null: the library would fail on it with a NullPointerException
            throw new UnreadableRequestException();
        }
        return value;
    }
}

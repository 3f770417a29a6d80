package dev.aiusage.outbound;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

/**
 * Checks of a destination's settings at start-up (naming the setting, never echoing its value, which may be a
 * secret) and JSON in and out of its requests.
 */
public final class TargetSettings {
    private TargetSettings() {
    }

    public static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " must be set when this tracker is configured");
        }
        return value.strip();
    }

    /** An absolute http(s) URL with a host. */
    public static URI httpUrl(String name, String value) {
        URI uri;
        try {
            uri = URI.create(required(name, value));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " must be an http(s) URL");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalStateException(name + " must be an http(s) URL");
        }
        return uri;
    }

    /** An http(s) URL that paths are appended to: without a trailing slash. */
    public static String baseUrl(String name, String value) {
        String url = httpUrl(name, value).toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public static String pathSegment(String name, String value) {
        String segment = required(name, value);
        if (!segment.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalStateException(name + " must be the list's id (letters, digits, - and _)");
        }
        return segment;
    }

    public static String write(JsonMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object's fields; empty when the body is not one (the ticket is filed all the same). */
    public static Map<String, Object> read(JsonMapper json, String body) {
        try {
            Map<String, Object> map = json.readValue(body, Argument.mapOf(String.class, Object.class));
            return map == null ? Map.of() : map;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }
}

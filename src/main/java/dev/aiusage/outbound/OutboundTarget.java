package dev.aiusage.outbound;

import io.micronaut.http.MutableHttpRequest;

import java.util.List;

/** A configured destination: how to post a payload to it and read its answer. */
public interface OutboundTarget {
    Destination destination();

    /** The request that delivers {@code payload}, credentials included. */
    MutableHttpRequest<String> request(String payload);

    /** The ticket key and link from a 2xx answer's body. */
    Remote remote(String responseBody);

    /** Values that must never appear in an error, a log line or an answer: tokens, webhook URLs. */
    List<String> secrets();
}

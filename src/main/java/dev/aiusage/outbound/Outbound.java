package dev.aiusage.outbound;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends queued messages to their destinations and records every attempt. A message is claimed first, so it
 * is never sent by two workers at once and never again once SENT. What is recorded or logged about a failure
 * is built from the HTTP status and the start of the answer, with every configured secret masked: never the
 * URL, a header or an exception's own text.
 */
@Singleton
public class Outbound {
    private static final Logger LOG = LoggerFactory.getLogger(Outbound.class);
    private static final int ERROR_BODY_CHARS = 300;

    private final OutboundStore store;
    private final RetryPolicy retries;
    private final Clock clock;
    private final Map<Destination, OutboundTarget> targets = new EnumMap<>(Destination.class);
    private final List<String> secrets = new ArrayList<>();
    private final Duration timeout;
    private final HttpClient http;

    public Outbound(OutboundStore store, RetryPolicy retries, Clock clock, List<OutboundTarget> targets,
                    @Value("${aiusage.outbound.timeout:10s}") Duration timeout) {
        this.store = store;
        this.retries = retries;
        this.clock = clock;
        this.timeout = timeout;
        for (OutboundTarget target : targets) {
            this.targets.put(target.destination(), target);
            target.secrets().stream().filter(s -> s != null && s.length() >= 4).forEach(secret -> secrets.addAll(encodings(secret)));
        }
        // the longest first, so a URL is masked whole before its path or token would be
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        DefaultHttpClientConfiguration configuration = new DefaultHttpClientConfiguration();
        configuration.setReadTimeout(timeout);
        configuration.setConnectTimeout(timeout);
        // a redirect is not a delivery: the POST would be replayed as a GET elsewhere, or not at all
        configuration.setFollowRedirects(false);
        this.http = HttpClient.create(null, configuration);
    }

    @PreDestroy
    void close() {
        http.close();
    }

    public boolean configured(Destination destination) {
        return targets.containsKey(destination);
    }

    /**
     * One attempt at message {@code id}, now: when it is due, or regardless of its backoff when {@code force}.
     * Nothing happens when it is not to be sent (SENT, or claimed by another worker).
     */
    public void attempt(long id, boolean force) {
        Instant now = clock.instant();
        if (!store.claim(id, now, now.plus(timeout.multipliedBy(3)), force)) {
            return;
        }
        OutboundMessage message = store.get(id);
        OutboundTarget target = targets.get(message.destination());
        long started = System.nanoTime();
        Integer status = null;
        String error;
        Remote remote = Remote.NONE;
        if (target == null) {
            error = message.destination().name().toLowerCase() + " is no longer configured";
        } else {
            try {
                HttpResponse<String> response = http.toBlocking().exchange(target.request(message.payload()), String.class);
                status = response.code();
                if (status >= 200 && status < 300) {
                    remote = target.remote(response.getBody().orElse(""));
                    error = null;
                } else {
                    error = "HTTP " + status + " (not a delivery: the destination answered with a redirect or no success)";
                }
            } catch (HttpClientResponseException e) {
                status = e.getStatus().getCode();
                String body = e.getResponse().getBody(String.class).orElse("").strip().replaceAll("\\s+", " ");
                error = "HTTP " + status + (body.isEmpty() ? "" : ": " + clip(body));
            } catch (ReadTimeoutException e) {
                error = "no answer within " + timeout.toSeconds() + " s";
            } catch (RuntimeException e) {
                error = reason(e);
            }
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
        Attempt attempt = new Attempt(now, error == null, status, error == null ? null : mask(error), millis);
        int attempts = message.attemptCount() + 1;
        if (attempt.succeeded()) {
            store.finish(id, attempt, OutboundStatus.SENT, null, remote);
            LOG.info("Sent {} message {} (attempt {})", message.destination(), id, attempts);
        } else {
            Duration wait = retries.backoff(attempts, status);
            Instant next = wait == null ? null : clock.instant().plus(wait);
            store.finish(id, attempt, next == null ? OutboundStatus.FAILED : OutboundStatus.RETRYING, next, Remote.NONE);
            LOG.warn("Sending {} message {} failed (attempt {}): {}; {}", message.destination(), id, attempts, attempt.error(),
                    next == null ? "giving up" : "next attempt at " + next);
        }
    }

    /** Every message due now, one attempt each; the number tried. */
    public int sendDue() {
        List<Long> due = store.due(clock.instant(), 100);
        for (Long id : due) {
            attempt(id, false);
        }
        return due.size();
    }

    public Optional<OutboundMessage> find(Destination destination, String dedupeKey) {
        return store.find(destination, dedupeKey);
    }

    /**
     * A secret as a destination may echo it back: as it is, URL-encoded (form and path style), escaped inside
     * a JSON string (with and without escaped slashes) and in Base64 (the form basic auth sends).
     */
    static List<String> encodings(String secret) {
        String form = java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder json = new StringBuilder();
        for (char c : secret.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return java.util.stream.Stream.of(secret, form, form.replace("+", "%20"), json.toString(), json.toString().replace("/", "\\/"),
                        java.util.Base64.getEncoder().encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .distinct().toList();
    }

    /** {@code text} with every configured secret, in each form a destination may echo it, replaced by {@code ***}. */
    public String mask(String text) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "***");
        }
        return masked;
    }

    private static String clip(String text) {
        return text.length() <= ERROR_BODY_CHARS ? text : text.substring(0, ERROR_BODY_CHARS) + "…";
    }

    /** What went wrong on the way, in words of our own: an exception's text may hold the URL. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "could not connect";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        return "the request failed before an answer came";
    }
}

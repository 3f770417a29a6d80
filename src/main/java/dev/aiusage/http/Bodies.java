package dev.aiusage.http;

import dev.aiusage.domain.BadInputException;
import dev.aiusage.domain.ErrorCode;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Request bodies of the intake endpoints: {@code Content-Encoding: gzip} inflated, to a bound. */
final class Bodies {
    /** An inflated body larger than this is refused: a small gzip body can inflate a thousandfold. */
    static final int MAX_INFLATED = 64 * 1024 * 1024;

    private Bodies() {
    }

    /** The body as sent, or inflated when it says gzip (and is: a proxy may have inflated it already). */
    static byte[] inflated(HttpRequest<?> request, byte[] body) {
        String encoding = request.getHeaders().get(HttpHeaders.CONTENT_ENCODING);
        if (encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("gzip") || body.length < 2
                || (body[0] & 0xff) != 0x1f || (body[1] & 0xff) != 0x8b) {
            return body;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(MAX_INFLATED, body.length * 8));
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > MAX_INFLATED) {
                    throw new TooLarge();
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new BadInputException("Content-Encoding", "the body says gzip but does not inflate");
        }
    }

    /** An inflated body over {@link #MAX_INFLATED}. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("inflated body too large", null, false, false);
        }

        ErrorCode code() {
            return ErrorCode.PAYLOAD_TOO_LARGE;
        }
    }
}

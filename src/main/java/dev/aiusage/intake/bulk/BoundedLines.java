package dev.aiusage.intake.bulk;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads a stream of text with no line, and no CSV record, longer than {@link #MAX_LINE} characters: a file without
 * newlines (or one endless quoted field) cannot grow a buffer without end.
 */
final class BoundedLines extends Reader {
    static final int MAX_LINE = 1 << 20;

    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private long sinceMark;

    BoundedLines(Reader in) {
        this.in = in;
    }

    private boolean fill() throws IOException {
        if (position < limit) {
            return true;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /** The next line without its terminator, or null at the end; a line over {@link #MAX_LINE} is an {@link IOException}. */
    String readLine() throws IOException {
        StringBuilder line = null;
        while (fill()) {
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int length = position - start;
            if (line == null && position < limit) {
                position++;
                return strip(new String(buffer, start, length));
            }
            if (line == null) {
                line = new StringBuilder(length * 2);
            }
            if (line.length() + length > MAX_LINE) {
                throw new IOException("a line is longer than " + MAX_LINE + " characters");
            }
            line.append(buffer, start, length);
            if (position < limit) {
                position++;
                return strip(line.toString());
            }
        }
        return line == null || line.isEmpty() ? null : strip(line.toString());
    }

    private static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** A record ended: the count of characters read towards the next starts again. */
    void mark() {
        sinceMark = 0;
    }

    @Override
    public int read(char[] into, int offset, int length) throws IOException {
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, into, offset, n);
        position += n;
        sinceMark += n;
        if (sinceMark > MAX_LINE + (long) buffer.length) {
            throw new IOException("a record is longer than " + MAX_LINE + " characters");
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

package procsh.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The protocol's lines, read with a bound: the other end is another machine, and a line without
 * end must not take this one's memory. A line over the bound ends the connection.
 */
final class ProtocolLines {

    private final InputStream in;
    private final int max;
    private final byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    ProtocolLines(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /** The next line without its newline, or null at the end of the stream. */
    String next() throws IOException {
        byte[] line = new byte[256];
        int length = 0;
        while (true) {
            if (start == end) {
                int n = in.read(buffer);
                if (n < 0) {
                    return length == 0 ? null : text(line, length); // a last line without newline
                }
                start = 0;
                end = n;
            }
            int newline = start;
            while (newline < end && buffer[newline] != '\n') {
                newline++;
            }
            int take = newline - start;
            if (length + take > max) {
                throw new IOException("a protocol line longer than " + max + " bytes: not procsh on the other end?");
            }
            if (length + take > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + take));
            }
            System.arraycopy(buffer, start, line, length, take);
            length += take;
            start = newline;
            if (newline < end) {
                start++; // past the newline
                return text(line, length);
            }
        }
    }

    private static String text(byte[] line, int length) {
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }
}

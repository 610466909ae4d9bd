package procsh.command;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * procsh's stdout when it is a byte stream (a pipe, a file): text in UTF-8 as usual, and bytes
 * passed through unchanged for {@code logs --raw}, which must not decode and re-encode a job's output.
 */
public final class PassThroughWriter extends PrintWriter {

    private final OutputStream bytes;

    public PassThroughWriter(OutputStream bytes) {
        super(bytes, true, StandardCharsets.UTF_8);
        this.bytes = bytes;
    }

    /** Writes the bytes as they are, after any text written before them. */
    public void writeBytes(byte[] data) {
        synchronized (lock) {
            flush();
            try {
                bytes.write(data);
                bytes.flush();
            } catch (IOException e) {
                setError(); // as PrintWriter does for text: checkError() tells
            }
        }
    }
}

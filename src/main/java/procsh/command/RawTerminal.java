package procsh.command;

import java.io.IOException;

/**
 * The console's terminal as {@code attach} needs it, byte for byte: no line editing, no echo, no
 * signals from keys (Ctrl-C is a byte for the job). The console implements it; sessions without
 * an interactive terminal (piped input, {@code -c}, scripts) have none.
 */
public interface RawTerminal {

    /** The terminal's TERM, for a job's own terminal; null if unknown. */
    String type();

    int columns();

    int rows();

    /** Switches to raw mode; closing the handle restores what was there before. */
    Mode enterRaw() throws IOException;

    /**
     * One read of what the user typed: up to {@code buffer.length} bytes, waiting at most
     * {@code timeoutMillis}; 0 when nothing came, -1 when the input is gone.
     */
    int read(byte[] buffer, long timeoutMillis) throws IOException;

    /** Writes to the screen as it is, and flushes. */
    void write(byte[] bytes, int length) throws IOException;

    /** Calls {@code onResize} whenever the terminal's size changes, until the handle is closed. */
    Mode watchSize(Runnable onResize);

    /** Something to undo. */
    interface Mode extends AutoCloseable {
        @Override
        void close();
    }
}

package procsh.core;

import java.nio.charset.StandardCharsets;

/**
 * Whether the program on a job's terminal drives the whole screen, read from the job's output as
 * it passes: it switched to the alternate screen (vim, less) or to application cursor keys (every
 * curses program, {@code top} too, which only clears the screen). An attach then redraws the whole
 * screen rather than showing the last line, and a detach leaves the alternate screen.
 */
public final class FullScreen {

    private static final byte[][] ALT_ON = {bytes("\u001b[?1049h"), bytes("\u001b[?1047h"), bytes("\u001b[?47h")};
    private static final byte[][] ALT_OFF = {bytes("\u001b[?1049l"), bytes("\u001b[?1047l"), bytes("\u001b[?47l")};
    private static final byte[][] KEYS_ON = {bytes("\u001b[?1h")};
    private static final byte[][] KEYS_OFF = {bytes("\u001b[?1l")};
    private static final int LONGEST = 8;

    // The end of the previous chunk, so a sequence split between two reads is still seen.
    private final byte[] carry = new byte[LONGEST - 1];
    private int carried;
    private volatile boolean alternate;
    private volatile boolean keys;

    public boolean on() {
        return alternate || keys;
    }

    public boolean alternate() {
        return alternate;
    }

    /** Looks at the next chunk of output; called from one thread at a time, in the output's order. */
    public void see(byte[] buffer, int n) {
        byte[] window = new byte[carried + n];
        System.arraycopy(carry, 0, window, 0, carried);
        System.arraycopy(buffer, 0, window, carried, n);
        for (int i = 0; i < window.length; i++) {
            if (window[i] != 0x1b) {
                continue;
            }
            if (matchesAny(window, i, ALT_ON)) {
                alternate = true;
            } else if (matchesAny(window, i, ALT_OFF)) {
                alternate = false;
            } else if (matchesAny(window, i, KEYS_ON)) {
                keys = true;
            } else if (matchesAny(window, i, KEYS_OFF)) {
                keys = false;
            }
        }
        carried = Math.min(carry.length, window.length);
        System.arraycopy(window, window.length - carried, carry, 0, carried);
    }

    private static boolean matchesAny(byte[] window, int at, byte[][] sequences) {
        for (byte[] s : sequences) {
            if (at + s.length <= window.length && java.util.Arrays.equals(window, at, at + s.length, s, 0, s.length)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

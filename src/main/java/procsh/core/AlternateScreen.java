package procsh.core;

import java.nio.charset.StandardCharsets;

/**
 * Whether a job's terminal shows the alternate screen (full-screen programs such as {@code top}
 * switch to it and back), read from the job's output as it passes: an attach that comes or goes
 * has to switch the viewer's screen the same way, or leave the viewer in the wrong one.
 */
final class AlternateScreen {

    private static final byte[][] ON = {bytes("\u001b[?1049h"), bytes("\u001b[?1047h"), bytes("\u001b[?47h")};
    private static final byte[][] OFF = {bytes("\u001b[?1049l"), bytes("\u001b[?1047l"), bytes("\u001b[?47l")};
    private static final int LONGEST = 8;

    // The end of the previous chunk, so a sequence split between two reads is still seen.
    private final byte[] carry = new byte[LONGEST - 1];
    private int carried;
    private volatile boolean on;

    boolean on() {
        return on;
    }

    /** Looks at the next chunk of output; called from the pump thread only. */
    void see(byte[] buffer, int n) {
        byte[] window = new byte[carried + n];
        System.arraycopy(carry, 0, window, 0, carried);
        System.arraycopy(buffer, 0, window, carried, n);
        for (int i = 0; i < window.length; i++) {
            if (window[i] != 0x1b) {
                continue;
            }
            if (matchesAny(window, i, ON)) {
                on = true;
            } else if (matchesAny(window, i, OFF)) {
                on = false;
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

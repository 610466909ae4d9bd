package procsh.core;

import java.util.Locale;

/** A job's two output streams. */
public enum OutputChannel {
    STDOUT,
    STDERR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

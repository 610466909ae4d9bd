package procsh.core;

import procsh.text.Escape;

/**
 * A request the table refused, with one line for a person saying what is wrong and what to do.
 * The table is unchanged when one is thrown. The message is made safe to show (control characters
 * escaped) here, once, because it often quotes what a user or a job supplied.
 */
public class ProcshException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProcshException(String message) {
        super(safe(message));
    }

    public ProcshException(String message, Throwable cause) {
        super(safe(message), cause);
    }

    private static String safe(String message) {
        return message == null ? null : Escape.field(message);
    }
}

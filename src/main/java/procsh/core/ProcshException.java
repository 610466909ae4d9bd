package procsh.core;

/**
 * A request the table refused, with one line for a person saying what is wrong and what to do.
 * The table is unchanged when one is thrown.
 */
public class ProcshException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProcshException(String message) {
        super(message);
    }

    public ProcshException(String message, Throwable cause) {
        super(message, cause);
    }
}

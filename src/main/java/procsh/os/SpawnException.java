package procsh.os;

/** A process could not be started; the message says what was wrong, for a person. */
public final class SpawnException extends Exception {
    private static final long serialVersionUID = 1L;

    public SpawnException(String message) {
        super(message);
    }

    public SpawnException(String message, Throwable cause) {
        super(message, cause);
    }
}

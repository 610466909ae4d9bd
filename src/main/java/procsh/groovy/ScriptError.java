package procsh.groovy;

/**
 * Groovy input that failed to compile or threw: the message is what a person should see, one to
 * three lines (line and column with the offending source line for a compile error, the message
 * and the script line for a runtime error), never a stack trace.
 */
public final class ScriptError extends Exception {
    private static final long serialVersionUID = 1L;

    ScriptError(String message) {
        super(message, null, false, false);
    }
}

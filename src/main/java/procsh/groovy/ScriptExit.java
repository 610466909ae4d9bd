package procsh.groovy;

/**
 * Thrown by a script's {@code exit(n)}. An {@link Error}, so a script's own {@code catch (e)}
 * (which catches {@link Exception}) cannot swallow it on its way out.
 */
public final class ScriptExit extends Error {
    private static final long serialVersionUID = 1L;

    private final int status;

    ScriptExit(int status) {
        super("exit(" + status + ")", null, false, false);
        this.status = status;
    }

    /** The status the script asked to exit with. */
    public int status() {
        return status;
    }
}

package procsh.app;

/** Attaches the script engines to a session; they load on first use. */
public final class Sessions {

    private Sessions() {
    }

    public static ProcshSession withEngines(ProcshSession session) {
        return session;
    }
}

package procsh.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import procsh.api.Procsh;
import procsh.command.ScriptEngines;
import procsh.jshell.JavaSnippets;

/**
 * Attaches the script engines to a session. Each engine loads on first use only, so nobody waits
 * at start-up for an engine they have not used.
 */
public final class Sessions {

    private Sessions() {
    }

    public static ProcshSession withEngines(ProcshSession session) {
        Procsh.attach(session.table(), session.shell());
        session.shellSession().engines(new Engines(session));
        return session;
    }

    /** The engines of one session. */
    static final class Engines implements ScriptEngines {
        private final ProcshSession session;
        private JavaSnippets java;

        Engines(ProcshSession session) {
            this.session = session;
        }

        @Override
        public int source(Path file, List<String> args, PrintWriter out, PrintWriter err) {
            err.println("source: Groovy is not available in this build");
            return 1;
        }

        @Override
        public int java(String snippet, PrintWriter out, PrintWriter err) {
            JavaSnippets engine;
            try {
                engine = java();
            } catch (RuntimeException | LinkageError e) {
                err.println("java: jshell is not available in this Java runtime (" + e.getMessage() + ")");
                return 1;
            }
            return engine.eval(snippet, out, err);
        }

        @Override
        public boolean javaIncomplete(String snippet) {
            try {
                return java().isIncomplete(snippet);
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }

        @Override
        public void interrupt() {
            JavaSnippets j;
            synchronized (this) {
                j = java;
            }
            if (j != null) {
                j.interrupt();
            }
        }

        synchronized JavaSnippets java() {
            if (java == null) {
                java = new JavaSnippets();
            }
            return java;
        }
    }
}

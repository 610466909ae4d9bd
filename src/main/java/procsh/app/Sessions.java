package procsh.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import procsh.api.Procsh;
import procsh.command.ScriptEngines;
import procsh.groovy.Completions;
import procsh.groovy.GroovyEngine;
import procsh.groovy.ScriptExit;
import procsh.command.CommandRegistry;
import procsh.command.Shell;
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
        Engines engines = new Engines(session);
        session.shellSession().engines(engines);
        session.evaluator(engines);
        return session;
    }

    /** The engines of one session: Groovy for lines that are not commands and for source, jshell for java. */
    static final class Engines implements ScriptEngines, LineEvaluator {
        private final ProcshSession session;
        private GroovyEngine groovy;
        private JavaSnippets java;

        Engines(ProcshSession session) {
            this.session = session;
        }

        synchronized GroovyEngine groovy() {
            if (groovy == null) {
                // Creating the engine loads nothing of Groovy; its first evaluation does.
                groovy = new GroovyEngine(session.table());
                groovy.commands(session.shell());
            }
            return groovy;
        }

        @Override
        public int evaluate(String source, PrintWriter out, PrintWriter err) throws InterruptedException {
            try {
                return groovy().evalAndPrint(source, out, err, message -> mistypedCommand(source, message).orElse(message));
            } catch (ScriptExit exit) {
                // exit(n) at the prompt means what the exit command means, confirmation included.
                return session.run("exit " + exit.status(), out, err);
            }
        }

        /**
         * A line that failed as Groovy because its first word is unknown, when that word is one
         * letter or two away from a command, was meant as the command: say so, as a shell would.
         */
        static Optional<String> mistypedCommand(String source, String groovyError) {
            String first = Shell.firstWord(source);
            if (first.isEmpty() || !first.chars().allMatch(Character::isLetter)) {
                return Optional.empty();
            }
            boolean unknownWord = groovyError.contains("unknown variable '" + first + "'")
                    || groovyError.contains("unknown function " + first + "(")
                    || groovyError.startsWith("line 1, column");
            boolean close = CommandRegistry.get().closest(first).isPresent();
            return unknownWord && close ? Optional.of(CommandRegistry.get().unknownCommand(first)) : Optional.empty();
        }

        @Override
        public boolean isIncomplete(String source) {
            return groovy().isIncomplete(source);
        }

        /** Groovy candidates, each completing the whole word JLine sees (which may start before Groovy's own start). */
        @Override
        public List<String> complete(String buffer, int cursor, int wordStart) {
            Completions c = groovy().complete(buffer, cursor);
            String before = c.start() > wordStart ? buffer.substring(wordStart, c.start()) : "";
            return c.candidates().stream().map(s -> before + s).toList();
        }

        @Override
        public int source(Path file, List<String> args, PrintWriter out, PrintWriter err) throws InterruptedException {
            return groovy().source(file, args, out, err);
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
            GroovyEngine g;
            JavaSnippets j;
            synchronized (this) {
                g = groovy;
                j = java;
            }
            if (g != null) {
                g.interrupt();
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

        synchronized void close() {
            if (groovy != null) {
                groovy.close();
            }
            if (java != null) {
                java.close();
            }
        }
    }
}

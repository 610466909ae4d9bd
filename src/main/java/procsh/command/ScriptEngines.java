package procsh.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The script engines the commands {@code source} and {@code java} hand work to; loaded on first use. */
public interface ScriptEngines {

    /** Runs a Groovy file in the current session: its jobs join the table, its variables stay. */
    int source(Path file, List<String> args, PrintWriter out, PrintWriter err) throws InterruptedException;

    /** Evaluates a Java snippet through jshell. */
    int java(String snippet, PrintWriter out, PrintWriter err) throws InterruptedException;

    /** True when a Java snippet is unfinished and wants another line. */
    default boolean javaIncomplete(String snippet) {
        return false;
    }

    /** Stops whatever a script engine is evaluating (Ctrl-C). */
    default void interrupt() {
    }

    ScriptEngines NONE = new ScriptEngines() {
        @Override
        public int source(Path file, List<String> args, PrintWriter out, PrintWriter err) {
            err.println("source: Groovy is not available in this build");
            return 1;
        }

        @Override
        public int java(String snippet, PrintWriter out, PrintWriter err) {
            err.println("java: jshell is not available in this build");
            return 1;
        }
    };
}

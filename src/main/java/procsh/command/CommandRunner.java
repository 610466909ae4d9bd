package procsh.command;

import java.io.PrintWriter;

/**
 * Runs console command lines ({@code "kill 2 -9"}, {@code "list --json"}) against the session's
 * table, exactly as if typed at the prompt. Groovy's {@code sh(...)} and jshell reach the
 * commands through this.
 */
public interface CommandRunner {

    /**
     * @return the line's exit status: 0 success, 1 a command failed, 2 a usage error; for
     *         {@code wait}, the job's shell-style status
     */
    int run(String line, PrintWriter out, PrintWriter err) throws InterruptedException;

    /** True when the line's first word names a command (so the console does not treat it as Groovy). */
    boolean isCommand(String line);
}

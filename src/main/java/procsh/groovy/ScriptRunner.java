package procsh.groovy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import procsh.command.CommandRunner;
import procsh.core.JobTable;
import procsh.core.Sender;
import procsh.core.StopReport;

/**
 * {@code procsh script.groovy ARG...}: runs a script non-interactively in a fresh Groovy session
 * over the given table. When it ends, the jobs still running are stopped (grace, then KILL)
 * unless the script called {@code keepJobs()}; each stop is said on {@code err}.
 */
public final class ScriptRunner {

    private final JobTable table;
    private final CommandRunner commands;

    /** {@code commands} serves the script's {@code sh(...)}; null when there is none. */
    public ScriptRunner(JobTable table, CommandRunner commands) {
        this.table = table;
        this.commands = commands;
    }

    /**
     * Returns the process exit status: what the script passed to {@code exit(n)}, 1 after an
     * uncaught error (message and script line on {@code err}), 2 if the file cannot be read,
     * 130 if interrupted, else 0. The table stays open: the caller closes it.
     */
    public int run(Path script, List<String> args, PrintWriter out, PrintWriter err) {
        int status;
        try (GroovyEngine engine = new GroovyEngine(table)) {
            engine.commands(commands);
            try {
                status = engine.source(script, args, out, err);
            } catch (InterruptedException e) {
                err.println(script.getFileName() + ": interrupted");
                status = 130;
            }
            stopLeftovers(err);
        }
        out.flush();
        err.flush();
        return status;
    }

    private void stopLeftovers(PrintWriter err) {
        if (table.keepJobs()) {
            return;
        }
        for (StopReport report : table.stopAll(table.defaultGrace(), Sender.SESSION_EXIT)) {
            err.println("script ended: stopped job " + report.job().id() + " (" + report.job().commandLine() + "): "
                    + report.describe());
        }
        err.flush();
    }
}

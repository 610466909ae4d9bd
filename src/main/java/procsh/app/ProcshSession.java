package procsh.app;

import java.io.PrintWriter;
import procsh.command.Shell;
import procsh.command.ShellSession;
import procsh.core.JobTable;

/**
 * One procsh session: the table, the command shell over it, and the script engines. A line whose
 * first word is a command is a command; any other line goes to the evaluator (Groovy).
 */
public final class ProcshSession implements AutoCloseable {

    private final JobTable table;
    private final ShellSession shellSession;
    private final Shell shell;
    private volatile LineEvaluator evaluator;

    public ProcshSession(JobTable table, ShellSession shellSession) {
        this.table = table;
        this.shellSession = shellSession;
        this.shell = new Shell(shellSession);
    }

    public JobTable table() {
        return table;
    }

    public ShellSession shellSession() {
        return shellSession;
    }

    public Shell shell() {
        return shell;
    }

    public void evaluator(LineEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    public LineEvaluator evaluator() {
        return evaluator;
    }

    /** Runs one line (possibly several lines of Groovy); returns its status. */
    public int run(String line, PrintWriter out, PrintWriter err) throws InterruptedException {
        // Without an evaluator the shell itself says that a word is no command.
        if (shell.isCommand(line) || evaluator == null) {
            return shell.run(line, out, err);
        }
        if (shell.isMistypedCommand(line)) {
            // "spwan sleep 1" meant spawn: say so, rather than a Groovy error about sleep(Integer).
            err.println(shell.unknownCommand(line));
            err.flush();
            return procsh.command.ProcshCommand.USAGE;
        }
        return evaluator.evaluate(line, out, err);
    }

    /** True when the text so far is Groovy that wants another line. */
    public boolean isIncomplete(String text) {
        String first = Shell.firstWord(text);
        if (first.equals("java")) {
            String code = text.stripLeading().substring(first.length());
            return !code.isBlank() && shellSession.engines().javaIncomplete(code);
        }
        return evaluator != null && !shell.isCommand(text) && evaluator.isIncomplete(text);
    }

    /** Ctrl-C: stop whatever evaluation is running. */
    public void interrupt() {
        shellSession.engines().interrupt();
    }

    /** Groovy completion for a line that is not a command. */
    public java.util.List<String> completeGroovy(String buffer, int cursor, int wordStart) {
        LineEvaluator e = evaluator;
        return e == null ? java.util.List.of() : e.complete(buffer, cursor, wordStart);
    }

    public boolean exitRequested() {
        return shellSession.exitStatus() != null;
    }

    @Override
    public void close() {
        try {
            table.close();
        } finally {
            if (shellSession.engines() instanceof Sessions.Engines engines) {
                engines.close();
            }
        }
    }
}

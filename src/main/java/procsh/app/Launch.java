package procsh.app;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.List;
import procsh.command.ShellSession;
import procsh.core.JobTable;
import procsh.core.ProcshException;
import procsh.core.Sender;
import procsh.core.StopReport;

/** Starts procsh in one of its modes and returns its exit status; the session always ends cleanly. */
public final class Launch {

    private final boolean debug;
    private final PrintWriter out;
    private final PrintWriter err;

    private java.time.Duration grace;
    private volatile Thread sweeper;

    public Launch(boolean debug, PrintWriter out, PrintWriter err) {
        this.debug = debug;
        this.out = out;
        this.err = err;
    }

    /** The grace period of stops in this session (null: the table's default). */
    public Launch grace(java.time.Duration grace) {
        this.grace = grace;
        return this;
    }

    private JobTable configured(JobTable table) {
        String warning = table.directory().warning();
        if (warning != null) {
            err.println("procsh: " + warning);
            err.flush();
        }
        sweepOldSessions(table);
        if (grace != null) {
            table.defaultGrace(grace);
        }
        return table;
    }

    /** Old sessions' directories are deleted off the start-up path; a short run waits for it at its end (see {@link #endOfRun}). */
    private void sweepOldSessions(JobTable table) {
        java.time.Duration keep = procsh.core.SessionRetention.configured(System.getenv(), line -> {
            err.println(line);
            err.flush();
        });
        if (keep == null) {
            return;
        }
        sweeper = new Thread(() -> procsh.core.SessionRetention.sweep(table.directory().base(), keep, table.directory().sessionId(),
                java.time.Instant.now()), "procsh-retention");
        sweeper.setDaemon(true);
        sweeper.setPriority(Thread.MIN_PRIORITY);
        sweeper.start();
    }

    /** A run shorter than the sweep lets it finish (bounded), so old sessions go even when procsh is only used by -c. */
    private void endOfRun() {
        Thread t = sweeper;
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True when stdin and stdout are a terminal (JDK 22+ answers System.console() even when not). */
    public static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true;
        }
    }

    /**
     * Runs one line whose command ends on Ctrl-C ({@code procsh up}): while it runs, SIGINT interrupts
     * it, as Ctrl-C does at the console, instead of ending procsh through its shutdown hook, so the
     * command stops its jobs and reports them itself. A second Ctrl-C, once the first has been taken,
     * ends procsh as usual.
     */
    public int interruptible(String line) throws InterruptedException {
        Thread main = Thread.currentThread();
        java.util.concurrent.atomic.AtomicReference<Object> previous = new java.util.concurrent.atomic.AtomicReference<>();
        previous.set(org.jline.utils.Signals.register("INT", () -> {
            main.interrupt();
            org.jline.utils.Signals.unregister("INT", previous.get());
        }));
        try {
            return lines(List.of(line));
        } finally {
            org.jline.utils.Signals.unregister("INT", previous.get());
        }
    }

    public int lines(List<String> lines) throws InterruptedException {
        StartupTrace.mark("options parsed");
        try (ProcshSession session = batchSession()) {
            if (session == null) {
                return 1;
            }
            StartupTrace.mark("table open");
            try {
                return new BatchRunner(session, out, err).run(lines);
            } finally {
                StartupTrace.mark("lines run");
                endOfSession(session);
                endOfRun();
            }
        } finally {
            StartupTrace.mark("session closed");
        }
    }

    public int stdin(BufferedReader in) throws Exception {
        try (ProcshSession session = batchSession()) {
            if (session == null) {
                return 1;
            }
            try {
                return new BatchRunner(session, out, err).run(in);
            } finally {
                endOfSession(session);
                endOfRun();
            }
        }
    }

    /** {@code procsh script.groovy ARG...}: its status is what it passed to exit(n), 1 after an uncaught error. */
    public int script(String script, List<String> args) {
        java.nio.file.Path path = java.nio.file.Path.of(script);
        if (!java.nio.file.Files.isRegularFile(path)) {
            err.println("procsh: no such script: " + script);
            return 2;
        }
        try (ProcshSession session = batchSession()) {
            if (session == null) {
                return 1;
            }
            try {
                return new procsh.groovy.ScriptRunner(session.table(), session.shell()).run(path, args, out, err);
            } finally {
                endOfRun();
            }
        }
    }

    public int console() throws Exception {
        StartupTrace.mark("console mode chosen");
        java.util.concurrent.CompletableFuture<JobTable> table = new java.util.concurrent.CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                JobTable t = configured(JobTable.open());
                t.installShutdownHook();
                table.complete(t);
                StartupTrace.mark("table open");
            } catch (RuntimeException | Error e) {
                table.completeExceptionally(e);
            }
        }, "procsh-open");
        opener.setDaemon(true);
        opener.start();
        try {
            return new procsh.console.Console(table, debug).run();
        } catch (java.util.concurrent.CompletionException e) {
            err.println("procsh: " + e.getCause().getMessage());
            return 1;
        }
    }

    private ProcshSession batchSession() {
        JobTable table = openTable();
        if (table == null) {
            return null;
        }
        ShellSession shell = ShellSession.plain(table);
        shell.debug(debug);
        return Sessions.withEngines(new ProcshSession(table, shell));
    }

    /** The table, or null after printing why it cannot be opened. */
    private JobTable openTable() {
        try {
            JobTable table = configured(JobTable.open());
            table.installShutdownHook();
            return table;
        } catch (ProcshException | IllegalStateException e) {
            err.println("procsh: " + e.getMessage());
            return null;
        }
    }

    /** Jobs still running when the lines run out are stopped, and what happened to them is said on stderr. */
    private void endOfSession(ProcshSession session) {
        JobTable table = session.table();
        if (table.keepJobs() || table.running().isEmpty()) {
            return;
        }
        for (StopReport r : table.stopAll(table.defaultGrace(), Sender.SESSION_EXIT)) {
            err.println("[" + r.job().id() + "] " + r.describe() + "  " + r.job().commandLine());
        }
    }
}

package procsh.console;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import procsh.app.ProcshSession;
import procsh.command.ShellSession;
import procsh.core.JobTable;
import procsh.core.SessionDirectory;

/**
 * The interactive console: a JLine reader over a {@link ProcshSession}. Ctrl-C clears the line at
 * the prompt and interrupts a running command (never a job: jobs run in sessions of their own);
 * Ctrl-D on an empty line is {@code exit}.
 */
public final class Console {

    private final Supplier<ProcshSession> sessionSource;
    private final Terminal terminal;
    private volatile ConsoleRawTerminal rawTerminal;
    private final Path historyFile;
    private ProcshSession session;
    private volatile Thread working;

    /**
     * The console on the real terminal, with history in the user's state directory. The table is
     * still being opened on another thread (it loads the native library) while the terminal and
     * the line reader are built here: the prompt appears sooner.
     */
    public Console(CompletableFuture<JobTable> table, boolean debug) throws IOException {
        // Without a say on grapheme clusters, build() probes the terminal (DECRQM for each mode, then
        // device attributes, ESC [ c) to learn whether it supports mode 2027. A reply that came after
        // the probe gave up landed in the first line typed ("[?1;2cpwd"). Not asking sends nothing.
        this.terminal = terminalBuilder().system(true).build();
        procsh.app.StartupTrace.mark("terminal built");
        boolean color = System.getenv("NO_COLOR") == null || System.getenv("NO_COLOR").isEmpty();
        boolean useColor = color && !Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
        this.sessionSource = () -> {
            ShellSession shell = new ShellSession(table.join(), true, useColor, terminal::getWidth);
            shell.debug(debug);
            return procsh.app.Sessions.withEngines(new ProcshSession(shell.table(), shell));
        };
        this.historyFile = SessionDirectory.defaultBase().resolve("history");
    }

    /** How procsh builds its terminal: nothing sent to it that it would answer into the input. */
    static TerminalBuilder terminalBuilder() {
        return TerminalBuilder.builder().name("procsh").graphemeCluster(false);
    }

    /** A console on a given terminal (tests use a DumbTerminal). */
    public Console(ProcshSession session, Terminal terminal, Path historyFile) {
        this.sessionSource = () -> session;
        this.terminal = terminal;
        this.historyFile = historyFile;
    }

    /** The terminal's type, null for a dumb one (which cannot host a job's screen). */
    private String type() {
        String type = terminal.getType();
        return type == null || type.startsWith(Terminal.TYPE_DUMB) ? null : type;
    }

    /** The session, once its table is open. */
    synchronized ProcshSession session() {
        if (session == null) {
            session = sessionSource.get();
        }
        return session;
    }

    /** Reads and runs lines until exit; returns procsh's exit status. */
    public int run() throws IOException {
        LineReader reader = reader();
        procsh.app.StartupTrace.mark("reader built");
        ProcshSession session = session();
        ExitNotices notices = new ExitNotices(reader, session.shellSession(), this::prompt);
        session.table().addListener(notices);
        session.shellSession().history(() -> historyLines(reader.getHistory()));
        if (type() != null) {
            rawTerminal = new ConsoleRawTerminal(terminal);
            session.shellSession().rawTerminal(rawTerminal);
        }
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> interruptWork());
        PrintWriter out = new PrintWriter(new PromptSafeWriter(reader), true);
        int status = 0;
        try {
            while (!session.exitRequested()) {
                notices.flush();
                String line;
                try {
                    procsh.app.StartupTrace.mark("prompt");
                    line = reader.readLine(prompt());
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt clears the line.
                } catch (EndOfFileException e) {
                    out.println("exit");
                    line = "exit";
                }
                status = runLine(line, out);
            }
            return session.shellSession().exitStatus() != null ? session.shellSession().exitStatus() : status;
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            session.table().removeListener(notices);
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                out.println("procsh: could not save history: " + e.getMessage());
            }
            out.flush();
            session.close();
            terminal.close();
        }
    }

    private int runLine(String line, PrintWriter out) {
        ProcshSession session = session();
        working = Thread.currentThread();
        try {
            return session.run(line, out, out);
        } catch (InterruptedException e) {
            out.println("interrupted");
            return procsh.command.Shell.INTERRUPTED;
        } catch (OutOfMemoryError e) {
            // What the line held is unreachable once we are here; the session and its jobs go on.
            out.println("procsh: out of memory: that line stopped");
            return 1;
        } catch (RuntimeException e) {
            out.println("procsh: internal error: " + e + (session.shellSession().debug() ? "" : " (procsh --debug shows more)"));
            if (session.shellSession().debug()) {
                e.printStackTrace(out);
            }
            return 1;
        } finally {
            working = null;
            Thread.interrupted(); // A Ctrl-C that came as the command finished must not hit the next one.
            out.flush();
        }
    }

    private void interruptWork() {
        if (rawTerminal != null && rawTerminal.active()) {
            return; // attached: Ctrl-C belongs to the job
        }
        Thread t = working;
        if (t != null) {
            session().interrupt();
            t.interrupt();
        }
    }

    LineReader reader() throws IOException {
        ensurePrivateFile(historyFile);
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("procsh")
                .parser(new ConsoleParser(this::session))
                .completer(new ConsoleCompleter(this::session))
                .history(new SecretFreeHistory())
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
                .variable(LineReader.HISTORY_SIZE, 2_000)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P  > ")
                .variable(LineReader.LIST_MAX, 200)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .option(LineReader.Option.INSERT_TAB, false)
                .build();
        BatchedSelfInsert.install(reader);
        return reader;
    }

    /** {@code procsh [2]> } with the number of running jobs; {@code procsh> } with none. */
    String prompt() {
        int running = session().table().running().size();
        String text = running == 0 ? "procsh> " : "procsh [" + running + "]> ";
        return session().shellSession().style().enabled() ? "\u001b[1m" + text + "\u001b[0m" : text;
    }

    private static List<String> historyLines(History history) {
        List<String> lines = new ArrayList<>();
        history.forEach(entry -> lines.add(entry.line()));
        return lines;
    }

    /** History is created 0600 before JLine first writes it, so there is no moment others can read it. */
    private static void ensurePrivateFile(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException exists) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}

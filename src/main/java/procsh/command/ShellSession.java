package procsh.command;

import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import procsh.core.JobTable;

/**
 * What commands may know of the session beyond the table: how to print (colour, width), the
 * history, the script engines, and whether the user asked to leave. The console fills it in; with
 * no terminal the defaults apply.
 */
public final class ShellSession {

    private final JobTable table;
    private final boolean interactive;
    private final Style style;
    private final IntSupplier width;
    private volatile Supplier<List<String>> history = List::of;
    private volatile ScriptEngines engines = ScriptEngines.NONE;
    private volatile boolean debug;
    private volatile RawTerminal rawTerminal;
    /** Where {@code cd -} goes: the directory before the last cd; null before any. */
    private volatile java.nio.file.Path previousDirectory;
    private volatile boolean exitWarned;
    private volatile Integer exitStatus;
    private final java.util.Set<Integer> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ShellSession(JobTable table, boolean interactive, boolean color, IntSupplier width) {
        this.table = table;
        this.interactive = interactive;
        this.style = new Style(color);
        this.width = width;
    }

    /** A session for programs and tests: no terminal, no colour, 120 columns. */
    public static ShellSession plain(JobTable table) {
        return new ShellSession(table, false, false, () -> 120);
    }

    public JobTable table() {
        return table;
    }

    public boolean interactive() {
        return interactive;
    }

    public Style style() {
        return style;
    }

    public int width() {
        int w = width.getAsInt();
        return w > 20 ? w : 120;
    }

    public List<String> history() {
        return history.get();
    }

    public void history(Supplier<List<String>> history) {
        this.history = history;
    }

    public ScriptEngines engines() {
        return engines;
    }

    public void engines(ScriptEngines engines) {
        this.engines = engines;
    }

    public java.nio.file.Path previousDirectory() {
        return previousDirectory;
    }

    public void previousDirectory(java.nio.file.Path dir) {
        previousDirectory = dir;
    }

    /** The interactive console's terminal, for {@code attach}; null without one. */
    public RawTerminal rawTerminal() {
        return rawTerminal;
    }

    public void rawTerminal(RawTerminal terminal) {
        this.rawTerminal = terminal;
    }

    public boolean debug() {
        return debug;
    }

    public void debug(boolean debug) {
        this.debug = debug;
    }

    boolean exitWarned() {
        return exitWarned;
    }

    void exitWarned(boolean warned) {
        this.exitWarned = warned;
    }

    /** A command has shown this job's ending, so no separate exit notice is needed. */
    public void reported(procsh.core.Job job) {
        reported.add(job.id());
    }

    /** True (once) when the job's ending was already shown by a command. */
    public boolean takeReported(procsh.core.Job job) {
        return reported.remove(job.id());
    }

    /** Set once the user has asked to leave: the status procsh exits with. */
    public Integer exitStatus() {
        return exitStatus;
    }

    void requestExit(int status) {
        this.exitStatus = status;
    }
}

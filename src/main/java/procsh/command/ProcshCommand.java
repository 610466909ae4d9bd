package procsh.command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import procsh.core.Job;
import procsh.core.JobTable;

/**
 * A console command: picocli parses its options and prints its help; {@link #call()} runs it
 * against the table. One instance per run, so fields hold only this run's arguments.
 */
public abstract class ProcshCommand implements Callable<Integer> {

    /** Exit status of a command that failed. */
    public static final int FAILED = 1;
    /** Exit status of a usage error. */
    public static final int USAGE = 2;

    @Spec
    protected CommandSpec spec;

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean helpRequested;
    protected ShellSession session;
    protected PrintWriter out;
    protected PrintWriter err;

    final void init(ShellSession session, PrintWriter out, PrintWriter err) {
        this.session = session;
        this.out = out;
        this.err = err;
    }

    /** Rewrites the words before picocli reads them, for syntax picocli cannot express; unchanged by default. */
    protected List<String> preprocess(List<String> words) {
        return words;
    }

    /** picocli tweaks this command needs (e.g. kill's {@code -9}); none by default. */
    protected void configure(picocli.CommandLine commandLine) {
    }

    public ShellSession session() {
        return session;
    }

    public CommandSpec spec() {
        return spec;
    }

    public PrintWriter errors() {
        return err;
    }

    protected boolean exitWarned() {
        return session.exitWarned();
    }

    protected void markWarned() {
        session.exitWarned(true);
    }

    protected void exitSession(int status) {
        session.requestExit(status);
    }

    protected JobTable table() {
        return session.table();
    }

    protected Style style() {
        return session.style();
    }

    protected Job job(String ref) {
        return table().get(ref);
    }

    /** Resolves every reference first, so a bad one leaves every job untouched. */
    protected List<Job> jobs(List<String> refs) {
        List<Job> jobs = new ArrayList<>();
        for (String ref : refs) {
            jobs.add(job(ref));
        }
        return jobs;
    }

    protected String tag(Job job) {
        return "[" + job.id() + "]";
    }
}

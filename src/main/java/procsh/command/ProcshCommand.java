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

    /**
     * Stops the jobs together (one grace period for all), then reports each in order as its stop
     * ends: {@code [2] web killed by SIGTERM (-15), sent by you  (12ms)}, {@code label} giving the
     * word after the tag (empty for none). Ctrl-C leaves the stops going on in the background.
     *
     * @return true when every job ended with no survivor
     */
    protected boolean stopAndReport(List<Job> jobs, java.time.Duration grace, procsh.core.Scope scope,
                                    java.util.function.Function<Job, String> label) throws InterruptedException {
        java.time.Duration g = grace != null ? grace : table().defaultGrace();
        List<java.util.concurrent.CompletableFuture<procsh.core.StopReport>> stops = new ArrayList<>();
        for (Job job : jobs) {
            stops.add(table().stopAsync(job, g, procsh.core.Sender.USER, scope));
        }
        boolean clean = true;
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            try {
                procsh.core.StopReport report = stops.get(i).get();
                session.reported(job);
                String name = label.apply(job);
                out.println(tag(job) + " " + (name.isEmpty() ? "" : name + " ") + report.describe()
                        + style().dim("  (" + procsh.core.Durations.format(report.took()) + ")"));
                clean &= report.survivors().isEmpty();
            } catch (java.util.concurrent.ExecutionException e) {
                err.println(spec.name() + ": stop of job " + job.id() + ": " + e.getCause().getMessage());
                clean = false;
            }
        }
        out.flush();
        return clean;
    }
}

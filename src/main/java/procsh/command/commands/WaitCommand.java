package procsh.command.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.Interruptible;
import procsh.command.LeftRunning;
import procsh.command.ProcshCommand;
import procsh.core.Durations;
import procsh.core.Job;
import procsh.core.WaitResult;

@Command(name = "wait", description = "Wait for jobs to end (all running jobs when no id is given).",
        footerHeading = "%nExit status:%n",
        footer = {"  the job's status as bash's wait gives it: its exit code, or 128+N for signal N;",
                "  124 when the timeout passed first (the jobs are left alone); 130 after Ctrl-C.",
                "", "Examples:", "  wait 1", "  wait 1 2 --timeout 5s", "  wait --any", "",
                "Ctrl-C stops waiting and returns to the prompt; the jobs keep running."})
public final class WaitCommand extends ProcshCommand implements Interruptible {

    /** Status after a timeout, as coreutils' timeout(1) uses. */
    static final int TIMED_OUT = 124;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Job ids or names (default: every running job).")
    List<String> refs = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DUR", description = "Give up after this long, e.g. 500ms, 2s, 1m.")
    Duration timeout;

    @Option(names = "--any", description = "Return as soon as one of the jobs has ended.")
    boolean any;

    @Override
    public Integer call() throws InterruptedException {
        List<Job> jobs = refs.isEmpty() ? table().running() : jobs(refs);
        if (jobs.isEmpty()) {
            return 0;
        }
        WaitResult result = table().waitFor(jobs, timeout, any);
        Job last = null;
        for (Job job : jobs) {
            if (job.hasEnded()) {
                out.println(tag(job) + " " + style().state(job.state(), job.ending().describe()) + "  " + job.commandLine()
                        + LeftRunning.note(table(), job));
                session.reported(job);
                last = job;
            }
        }
        if (result.timedOut()) {
            for (Job job : result.running()) {
                out.println(tag(job) + " still running after " + Durations.format(result.waited()));
            }
            return any && last != null ? last.ending().shellStatus() : TIMED_OUT;
        }
        if (any) {
            last = result.ended().stream().filter(j -> !j.endedAt().isBefore(firstEnd(result))).findFirst().orElse(last);
        }
        return last == null ? 0 : last.ending().shellStatus();
    }

    private static java.time.Instant firstEnd(WaitResult result) {
        return result.ended().stream().map(Job::endedAt).min(java.time.Instant::compareTo).orElseThrow();
    }

    @Override
    public String afterInterrupt() {
        return "the jobs keep running";
    }
}

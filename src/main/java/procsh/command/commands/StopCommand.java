package procsh.command.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.Interruptible;
import procsh.command.ProcshCommand;
import procsh.core.Durations;
import procsh.core.Job;
import procsh.core.Scope;
import procsh.core.Sender;
import procsh.core.StopReport;

@Command(name = "stop", description = "Stop jobs gracefully: SIGTERM to the group, a grace period, then SIGKILL.",
        footerHeading = "%nExamples:%n",
        footer = {"  stop 2", "  stop 2 3 --grace 10s", "  stop --tree web     (also descendants that left the group)", "",
                "While it waits the job shows as 'stopping'; `kill ID` at any time ends the wait.",
                "Ctrl-C returns to the prompt; the stop goes on in the background."})
public final class StopCommand extends ProcshCommand implements Interruptible {

    @Option(names = "--grace", paramLabel = "DUR", description = "How long to wait after SIGTERM before SIGKILL (default 5s).")
    Duration grace;

    @Option(names = "--tree", description = "Also signal descendants that left the job's process group.")
    boolean tree;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Job ids or names.")
    List<String> refs;

    @Override
    public Integer call() throws InterruptedException {
        List<Job> jobs = jobs(refs);
        Duration g = grace != null ? grace : table().defaultGrace();
        List<CompletableFuture<StopReport>> stops = new ArrayList<>();
        for (Job job : jobs) {
            stops.add(table().stopAsync(job, g, Sender.USER, tree ? Scope.TREE : Scope.GROUP));
        }
        int status = 0;
        for (int i = 0; i < jobs.size(); i++) {
            try {
                StopReport report = stops.get(i).get();
                session.reported(jobs.get(i));
                out.println(tag(jobs.get(i)) + " " + report.describe() + style().dim("  (" + Durations.format(report.took()) + ")"));
                if (!report.survivors().isEmpty()) {
                    status = FAILED;
                }
            } catch (ExecutionException e) {
                err.println("stop: job " + jobs.get(i).id() + ": " + e.getCause().getMessage());
                status = FAILED;
            }
        }
        return status;
    }

    @Override
    public String afterInterrupt() {
        return "the stop goes on in the background (list shows it)";
    }
}

package procsh.command.commands;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.Interruptible;
import procsh.command.ProcshCommand;
import procsh.core.Job;
import procsh.core.Scope;

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
        return stopAndReport(jobs(refs), grace, tree ? Scope.TREE : Scope.GROUP, job -> "") ? 0 : FAILED;
    }

    @Override
    public String afterInterrupt() {
        return "the stop goes on in the background (list shows it)";
    }
}

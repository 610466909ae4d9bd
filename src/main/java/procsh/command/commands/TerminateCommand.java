package procsh.command.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;

@Command(name = "terminate", aliases = {"term"}, description = "Send SIGTERM to jobs' process groups, as Python's terminate().",
        footerHeading = "%nExamples:%n",
        footer = {"  terminate 2", "  terminate --tree web", "  terminate --process 2   (the job's own process only)", "",
                "For TERM, a grace period, then KILL, use stop."})
public final class TerminateCommand extends ProcshCommand {

    @Option(names = "--tree", description = "Signal the job's process group and every descendant, also those that left it.")
    boolean tree;

    @Option(names = "--group", description = "Signal the job's process group: the default.")
    boolean group;

    @Option(names = "--process", description = "Signal the job's own process only; its children keep running.")
    boolean process;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Job ids or names.")
    List<String> refs;

    @Override
    public Integer call() {
        KillCommand.scope(tree, group, process); // a bad combination refused before any reference is read
        SignalArgs args = new SignalArgs();
        args.jobs.addAll(jobs(refs));
        args.signal = KillCommand.require(this, "TERM");
        return KillCommand.send(this, args, KillCommand.scope(tree, group, process));
    }
}

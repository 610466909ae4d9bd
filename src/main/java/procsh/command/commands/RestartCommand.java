package procsh.command.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.core.Job;

@Command(name = "restart", description = "Stop a job if it runs, and start its command again under a NEW id (same name, cwd, env).",
        footerHeading = "%nExamples:%n",
        footer = {"  restart 2", "  restart web      (refer to jobs by name to follow them across restarts)", "",
                "Ids are never reused, so the old job stays in the table with its ending; the name moves to the new job."})
public final class RestartCommand extends ProcshCommand {

    @Parameters(paramLabel = "ID", description = "Job id or name.")
    String ref;

    @Override
    public Integer call() {
        Job old = job(ref);
        Job job = table().restart(old);
        out.println(tag(job) + " " + job.pid() + " " + job.commandLine() + style().dim("  (restart of " + old.id() + ")"));
        return 0;
    }
}

package procsh.command.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.LeftRunning;
import procsh.command.ProcshCommand;
import procsh.core.Job;
import procsh.core.Observation;

@Command(name = "poll", description = "Say at once whether jobs are running, or how they ended.",
        footerHeading = "%nExamples:%n", footer = {"  poll 1", "  poll 1 2 web"})
public final class PollCommand extends ProcshCommand {

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Job ids (2 or %2) or names.")
    List<String> refs;

    @Override
    public Integer call() {
        List<Job> jobs = jobs(refs);
        Observation seen = table().observe(jobs); // one question to each host, not one per job
        for (Job job : jobs) {
            String status = style().state(seen.state(job), seen.status(job));
            if (job.hasEnded()) {
                status += LeftRunning.note(seen, job);
                session.reported(job);
            }
            out.println(tag(job) + " " + status);
        }
        return 0;
    }
}

package procsh.command.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.core.Job;

@Command(name = "rm", aliases = {"remove"}, description = "Remove ended jobs from the table (their ids are not reused).",
        footerHeading = "%nExamples:%n", footer = {"  rm 3", "  rm 3 4", "  clean      (every ended job)"})
public final class RmCommand extends ProcshCommand {

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Job ids or names.")
    List<String> refs;

    @Override
    public Integer call() {
        List<Job> jobs = jobs(refs);
        for (Job job : jobs) {
            if (job.isAlive()) {
                throw new procsh.core.ProcshException("job " + job.id() + " is still " + job.state().label()
                        + ": stop it first (stop " + job.id() + "); nothing was removed");
            }
        }
        jobs.forEach(table()::remove);
        return 0;
    }
}

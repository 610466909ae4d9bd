package procsh.command.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;

@Command(name = "close", description = "Close a job's stdin pipe, so it reads end of input.",
        footerHeading = "%nExamples:%n", footer = {"  close 2"})
public final class CloseCommand extends ProcshCommand {

    @Parameters(paramLabel = "ID", description = "Job id or name.")
    String ref;

    @Override
    public Integer call() {
        table().closeStdin(job(ref));
        return 0;
    }
}

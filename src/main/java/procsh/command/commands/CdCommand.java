package procsh.command.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;

@Command(name = "cd", description = "Change the session's directory, which new jobs start in.",
        footerHeading = "%nExamples:%n", footer = {"  cd /srv/app", "  cd ..", "  cd          (home)"})
public final class CdCommand extends ProcshCommand {

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "The directory (default: home).")
    String dir;

    @Override
    public Integer call() {
        table().context().cd(dir == null ? "~" : dir);
        return 0;
    }
}

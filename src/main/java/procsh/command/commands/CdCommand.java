package procsh.command.commands;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.core.ProcshException;

@Command(name = "cd", description = "Change the session's directory, which new jobs start in.",
        footerHeading = "%nExamples:%n", footer = {"  cd /srv/app", "  cd ..", "  cd -        (the previous directory, printed as bash does)", "  cd          (home)"})
public final class CdCommand extends ProcshCommand {

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "The directory (default: home; - the previous one).")
    String dir;

    @Override
    public Integer call() {
        Path before = table().context().cwd();
        if ("-".equals(dir)) {
            Path previous = session.previousDirectory();
            if (previous == null) {
                throw new ProcshException("no previous directory yet: cd somewhere first");
            }
            table().context().cd(previous.toString());
            out.println(procsh.command.OneLine.of(table().context().cwd().toString()));
        } else {
            table().context().cd(dir == null ? "~" : dir);
        }
        session.previousDirectory(before);
        return 0;
    }
}

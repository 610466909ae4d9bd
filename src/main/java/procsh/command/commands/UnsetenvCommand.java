package procsh.command.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;

@Command(name = "unsetenv", aliases = {"unset"}, description = "Remove variables from the session's environment.",
        footerHeading = "%nExamples:%n", footer = {"  unsetenv DEBUG"})
public final class UnsetenvCommand extends ProcshCommand {

    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Variable names.")
    List<String> names;

    @Override
    public Integer call() {
        names.forEach(table().context()::unsetenv);
        return 0;
    }
}

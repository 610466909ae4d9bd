package procsh.command.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.core.ProcshException;

@Command(name = "setenv", aliases = {"export"}, description = "Set variables in the session's environment, for jobs spawned from now on.",
        footerHeading = "%nExamples:%n", footer = {"  setenv PORT=8080", "  setenv A=1 B='two words'"})
public final class SetenvCommand extends ProcshCommand {

    @Parameters(paramLabel = "K=V", arity = "1..*", description = "Assignments.")
    List<String> assignments;

    @Override
    public Integer call() {
        for (String a : assignments) {
            if (a.indexOf('=') <= 0) {
                throw new ProcshException("setenv wants K=V, got '" + a + "'; nothing was set");
            }
        }
        java.util.Map<String, String> variables = new java.util.LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            variables.put(a.substring(0, eq), a.substring(eq + 1));
        }
        try {
            table().context().setenv(variables); // all or, when one is refused (a NUL, say), none
        } catch (ProcshException refused) {
            throw new ProcshException(refused.getMessage() + "; nothing was set", refused);
        }
        return 0;
    }
}

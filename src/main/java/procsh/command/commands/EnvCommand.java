package procsh.command.commands;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.text.Escape;

@Command(name = "env", description = "Print the session's environment, which new jobs inherit (or some variables of it).",
        footerHeading = "%nExamples:%n", footer = {"  env", "  env PATH HOME", "  setenv K=V / unsetenv K to change it"})
public final class EnvCommand extends ProcshCommand {

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Variables to print (default: all).")
    List<String> names;

    @Override
    public Integer call() {
        Map<String, String> env = table().context().env();
        if (names == null || names.isEmpty()) {
            env.forEach((k, v) -> out.println(line(k, v)));
            return 0;
        }
        List<String> missing = names.stream().filter(n -> !env.containsKey(n)).toList();
        names.stream().filter(env::containsKey).forEach(n -> out.println(line(n, env.get(n))));
        if (missing.isEmpty()) {
            return 0;
        }
        err.println("env: " + procsh.command.OneLine.of(String.join(", ", missing)) + (missing.size() == 1 ? " is" : " are") + " not set");
        return FAILED;
    }

    /** A value may hold anything (setenv, the inherited environment): shown escaped. */
    private static String line(String name, String value) {
        return Escape.field(name) + "=" + Escape.field(value);
    }
}

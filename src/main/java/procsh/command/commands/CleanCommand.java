package procsh.command.commands;

import picocli.CommandLine.Command;
import procsh.command.ProcshCommand;

@Command(name = "clean", description = "Remove every ended job from the table.")
public final class CleanCommand extends ProcshCommand {

    @Override
    public Integer call() {
        int n = table().clean().size();
        out.println("removed " + n + " ended job" + (n == 1 ? "" : "s"));
        return 0;
    }
}

package procsh.command.commands;

import picocli.CommandLine.Command;
import procsh.command.ProcshCommand;

@Command(name = "pwd", description = "Print the session's directory.")
public final class PwdCommand extends ProcshCommand {

    @Override
    public Integer call() {
        out.println(table().context().cwd());
        return 0;
    }
}

package procsh.command.commands;

import picocli.CommandLine.Command;
import procsh.command.ProcshCommand;

@Command(name = "clear", description = "Clear the screen (jobs and their logs are untouched).")
public final class ClearCommand extends ProcshCommand {

    @Override
    public Integer call() {
        // Only on a terminal: piped or -c output must not carry escape sequences.
        if (session.interactive()) {
            out.print("\u001b[H\u001b[2J");
            out.flush();
        }
        return 0;
    }
}

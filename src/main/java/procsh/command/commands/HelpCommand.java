package procsh.command.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.CommandRegistry;
import procsh.command.ProcshCommand;
import procsh.command.Shell;
import procsh.core.ProcshException;

@Command(name = "help", description = "List the commands, or show one command's help.",
        footerHeading = "%nExamples:%n", footer = {"  help", "  help kill     (same as kill --help)"})
public final class HelpCommand extends ProcshCommand {

    @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "A command name.")
    String command;

    @Override
    public Integer call() {
        CommandRegistry registry = CommandRegistry.get();
        if (command != null) {
            CommandRegistry.Entry entry = registry.find(command).orElseThrow(() -> new ProcshException(registry.unknownCommand(command)));
            out.print(Shell.usage(entry));
            return 0;
        }
        out.println("Commands (COMMAND --help for details). Jobs are referred to by id (2), %2, or name.");
        int width = registry.entries().stream().mapToInt(e -> e.name().length()).max().orElse(8);
        for (CommandRegistry.Entry e : registry.entries()) {
            String aliases = e.aliases().isEmpty() ? "" : style().dim("  (" + String.join(", ", e.aliases()) + ")");
            out.println("  " + style().bold(String.format("%-" + width + "s", e.name())) + "  " + e.summary() + aliases);
        }
        out.println();
        out.println("Any other line is Groovy, e.g.  def p = spawn('sleep', '30'); p.pid");
        out.println("Durations: 500ms, 2s, 1.5s, 1m (a bare number is seconds). Endings read: exited 3, killed by SIGKILL (-9).");
        return 0;
    }
}

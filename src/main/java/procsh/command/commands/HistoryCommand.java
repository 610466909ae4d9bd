package procsh.command.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import procsh.command.ProcshCommand;

@Command(name = "history", description = "Show the lines typed in this and earlier sessions (Ctrl-R searches them); lines that set a variable's value are not kept.",
        footerHeading = "%nExamples:%n", footer = {"  history", "  history -n 20"})
public final class HistoryCommand extends ProcshCommand {

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "Only the last N lines.")
    Integer last;

    @Override
    public Integer call() {
        List<String> lines = session.history();
        int from = last == null ? 0 : Math.max(0, lines.size() - last);
        for (int i = from; i < lines.size(); i++) {
            out.println(String.format("%5d  %s", i + 1, procsh.text.Escape.field(lines.get(i))));
        }
        return 0;
    }
}

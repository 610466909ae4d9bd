package procsh.command.commands;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;

@Command(name = "send", description = "Write a line to the stdin of a job started with spawn --stdin (or type it at a --pty job's terminal).",
        footerHeading = "%nExamples:%n", footer = {"  send 2 hello world     (writes \"hello world\\n\")", "  send -n 2 'y'", "  close 2                (end of input)"})
public final class SendCommand extends ProcshCommand {

    @Option(names = {"-n", "--no-newline"}, description = "Do not add a newline at the end.")
    boolean noNewline;

    @Parameters(index = "0", paramLabel = "ID", description = "Job id or name.")
    String ref;

    @Parameters(index = "1..*", paramLabel = "TEXT", arity = "1..*", description = "The text; words are joined by spaces.")
    List<String> text;

    @Override
    protected void configure(CommandLine cli) {
        cli.setStopAtPositional(true);
    }

    @Override
    public Integer call() {
        table().send(job(ref), String.join(" ", text) + (noNewline ? "" : "\n"));
        return 0;
    }
}

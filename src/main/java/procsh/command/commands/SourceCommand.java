package procsh.command.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.Interruptible;
import procsh.command.ProcshCommand;
import procsh.core.ProcshException;

@Command(name = "source", aliases = {"load"}, description = "Run a Groovy script in this session: its jobs join the table, its variables stay.",
        footerHeading = "%nExamples:%n", footer = {"  source scripts/fan-out.groovy 4", "  load ~/tools/setup.groovy"})
public final class SourceCommand extends ProcshCommand implements Interruptible {

    @Parameters(index = "0", paramLabel = "FILE", description = "The script.")
    String file;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Its arguments (args in the script).")
    List<String> args = new ArrayList<>();

    @Override
    protected void configure(CommandLine cli) {
        cli.setStopAtPositional(true);
    }

    @Override
    public Integer call() throws InterruptedException {
        Path path = table().context().cwd().resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new ProcshException("no such script: " + path);
        }
        return session.engines().source(path, args, out, err);
    }

    @Override
    public String afterInterrupt() {
        return "the script stopped; its jobs keep running";
    }
}

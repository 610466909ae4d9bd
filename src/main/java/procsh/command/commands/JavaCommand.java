package procsh.command.commands;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.Interruptible;
import procsh.command.ProcshCommand;

@Command(name = "java", description = "Evaluate a Java snippet through jshell; variables persist between snippets.",
        footerHeading = "%nExamples:%n", footer = {"  java 1 + 1", "  java var j = Procsh.table().spawn(SpawnRequest.of(\"sleep\", \"5\"))"})
public final class JavaCommand extends ProcshCommand implements Interruptible {

    @Parameters(paramLabel = "SNIPPET", arity = "1..*", description = "Java code.")
    List<String> words;

    @Override
    protected void configure(CommandLine cli) {
        cli.setStopAtPositional(true);
        cli.setUnmatchedOptionsArePositionalParams(true);
    }

    @Override
    public Integer call() throws InterruptedException {
        return session.engines().java(String.join(" ", words), out, err);
    }

    @Override
    public String afterInterrupt() {
        return "the snippet was stopped";
    }
}

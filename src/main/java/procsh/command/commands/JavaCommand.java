package procsh.command.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.Interruptible;
import procsh.command.ProcshCommand;
import procsh.command.RawText;

@Command(name = "java", description = "Evaluate a Java snippet through jshell; variables persist between snippets.",
        footerHeading = "%nExamples:%n",
        footer = {"  java 1 + 1", "  java var j = Procsh.spawn(\"sleep\", \"5\")", "  java j.pid()",
                "  java Procsh.table().waitFor(j, Duration.ofSeconds(10)).describe()",
                "  java void hello() {        (an open brace continues on the next line)", "",
                "The line is taken as typed. procsh.api.* (Procsh: table(), spawn(...), job(ref), sh(line)),",
                "procsh.core.* and java.time.Duration are imported. The first snippet starts jshell (~1 s)."})
public final class JavaCommand extends ProcshCommand implements Interruptible, RawText {

    @Parameters(paramLabel = "SNIPPET", arity = "1", description = "Java code, taken as typed.")
    String code;

    @Override
    public Integer call() throws InterruptedException {
        return run(code);
    }

    @Override
    public int run(String text) throws InterruptedException {
        return session.engines().java(text, out, err);
    }

    @Override
    public String afterInterrupt() {
        return "the snippet was stopped";
    }
}

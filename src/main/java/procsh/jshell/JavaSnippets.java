package procsh.jshell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Java snippets through the JDK's jshell API, executed in this JVM ("local" engine), so they reach
 * the same process table as everything else through {@link procsh.api.Procsh}. Started on first
 * use (the first evaluation costs ~0.7 s); variables persist between snippets.
 */
public final class JavaSnippets implements AutoCloseable {

    private final JShell shell;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public JavaSnippets() {
        PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);
        this.shell = JShell.builder().executionEngine("local").out(sink).err(sink).build();
        shell.addToClasspath(System.getProperty("java.class.path"));
        for (String imports : List.of("import procsh.api.*;", "import procsh.core.*;", "import java.time.Duration;")) {
            shell.eval(imports);
        }
    }

    /** True when the text is the start of a snippet that wants more lines (an open brace, say). */
    public boolean isIncomplete(String source) {
        return shell.sourceCodeAnalysis().analyzeCompletion(source).completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE;
    }

    /** Evaluates one or more snippets; prints values as jshell does and errors in a line or two. */
    public int eval(String source, PrintWriter out, PrintWriter err) {
        String rest = source;
        int status = 0;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
            if (info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
                err.println("java: the snippet is not finished (an open brace, parenthesis or string?)");
                return 1;
            }
            String snippet = info.completeness().isComplete() ? info.source() : rest;
            rest = info.completeness().isComplete() ? info.remaining() : "";
            for (SnippetEvent event : shell.eval(snippet)) {
                if (event.causeSnippet() == null && report(event, out, err) != 0) {
                    status = 1;
                }
            }
        }
        flushCaptured(out);
        return status;
    }

    private int report(SnippetEvent event, PrintWriter out, PrintWriter err) {
        flushCaptured(out);
        Snippet snippet = event.snippet();
        if (event.exception() != null) {
            err.println("java: " + describe(event.exception()));
            return 1;
        }
        if (event.status() == Snippet.Status.REJECTED) {
            List<Diag> diagnostics = shell.diagnostics(snippet).collect(Collectors.toList());
            String source = snippet.source();
            for (Diag d : diagnostics.subList(0, Math.min(2, diagnostics.size()))) {
                int at = (int) Math.max(0, d.getStartPosition());
                err.println("java: " + d.getMessage(null).lines().findFirst().orElse("error") + " at column " + (at + 1) + ": "
                        + excerpt(source, at));
            }
            if (diagnostics.isEmpty()) {
                err.println("java: the snippet was rejected: " + source.strip());
            }
            return 1;
        }
        if (event.status() == Snippet.Status.RECOVERABLE_DEFINED || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            err.println("java: " + snippet.source().strip() + " refers to something not yet defined");
            return 1;
        }
        if (event.value() != null && snippet.kind() != Snippet.Kind.IMPORT && snippet.kind() != Snippet.Kind.STATEMENT) {
            String name = snippet instanceof jdk.jshell.VarSnippet v ? v.name() : null;
            out.println((name != null ? name + " ==> " : "=> ") + event.value());
        }
        return 0;
    }

    private static String describe(Exception e) {
        if (e instanceof EvalException ee) {
            String type = ee.getExceptionClassName();
            String message = ee.getMessage();
            return type.substring(type.lastIndexOf('.') + 1) + (message == null || message.isBlank() ? "" : ": " + message);
        }
        if (e instanceof UnresolvedReferenceException ure) {
            return ure.getSnippet().source().strip() + " uses something not defined";
        }
        return e.toString();
    }

    private static String excerpt(String source, int at) {
        String line = source.strip();
        return line.length() > 60 ? line.substring(Math.max(0, Math.min(at, line.length()) - 20), Math.min(line.length(), at + 40)) : line;
    }

    private void flushCaptured(PrintWriter out) {
        synchronized (captured) {
            if (captured.size() > 0) {
                out.print(captured.toString(StandardCharsets.UTF_8));
                out.flush();
                captured.reset();
            }
        }
    }

    /** Stops a running snippet (Ctrl-C). */
    public void interrupt() {
        shell.stop();
    }

    @Override
    public void close() {
        shell.close();
    }
}

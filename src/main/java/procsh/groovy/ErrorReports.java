package procsh.groovy;

import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.codehaus.groovy.syntax.SyntaxException;
import procsh.command.OneLine;
import procsh.core.ProcshException;
import procsh.text.Escape;

/**
 * Says in one to three lines what went wrong in a script: where (line and column, the source
 * line and a caret for a compile error; the script's line for a runtime error) and what, in
 * words rather than Groovy's internals.
 */
final class ErrorReports {

    private static final int MAX_SHOWN = 120;
    private static final String POSSIBLE = "Possible solutions: ";
    private static final Pattern UNEXPECTED = Pattern.compile("Unexpected input: '(.*)'", Pattern.DOTALL);

    /** The name each compiled source carries in stack frames, and what to call it: "" for prompt input. */
    private final Map<String, String> labels = new ConcurrentHashMap<>();

    void register(String codeName, String label) {
        labels.put(codeName, label);
    }

    String compile(CompilationFailedException failure, String label, String source) {
        if (failure instanceof MultipleCompilationErrorsException multiple
                && multiple.getErrorCollector().getErrorCount() > 0) {
            Message first = multiple.getErrorCollector().getError(0);
            if (first instanceof SyntaxErrorMessage syntax) {
                return syntax(syntax.getCause(), label, source);
            }
            if (first instanceof ExceptionMessage exception) {
                return prefix(label) + message(exception.getCause());
            }
            if (first instanceof SimpleMessage simple) {
                return prefix(label) + firstLine(simple.getMessage());
            }
        }
        return prefix(label) + firstLine(failure.getMessage());
    }

    /**
     * Groovy's parser places "Unexpected input: 'TEXT'" where it gave up, often the end of the
     * input; TEXT runs from where the trouble began, which is the place worth showing.
     */
    private static String syntax(SyntaxException e, String label, String source) {
        int line = e.getLine();
        int column = e.getStartColumn();
        String message = firstLine(e.getOriginalMessage());
        Matcher unexpected = UNEXPECTED.matcher(e.getOriginalMessage() == null ? "" : e.getOriginalMessage().strip());
        int at = offset(source, line, column);
        if (unexpected.matches() && at >= 0) {
            String stretch = unexpected.group(1).replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t");
            int from = stretch.isBlank() ? -1 : source.lastIndexOf(stretch, at);
            if (from >= 0) {
                from += stretch.length() - stretch.stripLeading().length();
                String before = source.substring(0, from);
                line = (int) before.chars().filter(c -> c == '\n').count() + 1;
                column = from - (before.lastIndexOf('\n') + 1) + 1;
                message = "Unexpected input: '" + Escape.echo(firstLine(stretch)) + "'";
            }
        }
        return where(label, line, column) + message + excerpt(source, line, column);
    }

    /** Index in the source of a 1-based line and column, or -1. */
    private static int offset(String source, int line, int column) {
        if (line < 1 || column < 1) {
            return -1;
        }
        int start = 0;
        for (int l = 1; l < line; l++) {
            int newline = source.indexOf('\n', start);
            if (newline < 0) {
                return -1;
            }
            start = newline + 1;
        }
        return Math.min(source.length(), start + column - 1);
    }

    /** The message and the innermost line of one of this session's scripts on the way to it. */
    String runtime(Throwable failure) {
        String message = message(unwrap(failure));
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                String label = frame.getFileName() == null ? null : labels.get(frame.getFileName());
                if (label != null && frame.getLineNumber() > 0) {
                    return (label.isEmpty() ? "line " : label + ", line ") + frame.getLineNumber() + ": " + message;
                }
            }
        }
        return message;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof InvokerInvocationException || t instanceof InvocationTargetException
                || t instanceof UndeclaredThrowableException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String message(Throwable t) {
        if (t instanceof ScriptExit exit) {
            return "exit(" + exit.status() + ") ends a script only from its main flow, not from an onExit closure";
        }
        if (t instanceof ProcshException) {
            return OneLine.of(t.getMessage());
        }
        if (t instanceof MissingPropertyException e && e.getType() != null) {
            return Script.class.isAssignableFrom(e.getType())
                    ? "unknown variable '" + Escape.echo(e.getProperty()) + "'"
                    : "no property '" + Escape.echo(e.getProperty()) + "' on " + e.getType().getSimpleName() + suggestions(e);
        }
        if (t instanceof MissingMethodException e && e.getType() != null) {
            String call = Escape.echo(e.getMethod()) + "(" + Arrays.stream(e.getArguments())
                    .map(a -> a == null ? "null" : a.getClass().getSimpleName()).collect(Collectors.joining(", ")) + ")";
            return Script.class.isAssignableFrom(e.getType())
                    ? "unknown function " + call + suggestions(e)
                    : "no method " + call + " on " + e.getType().getSimpleName() + suggestions(e);
        }
        if (t instanceof StackOverflowError) {
            return "stack overflow: is there an endless recursion?";
        }
        if (t instanceof InterruptedException) {
            return "interrupted";
        }
        String text = t.getMessage();
        return t.getClass().getSimpleName() + (text == null || text.isBlank() ? "" : ": " + firstLine(text));
    }

    /** The first few of Groovy's own "Possible solutions: ..." (best first), when it has them. */
    private static String suggestions(Exception e) {
        String text = e.getMessage();
        int at = text == null ? -1 : text.indexOf(POSSIBLE);
        if (at < 0) {
            return "";
        }
        String[] all = firstLine(text.substring(at + POSSIBLE.length())).replace("java.lang.", "").split(", (?![^(]*\\))");
        return " (maybe " + OneLine.of(String.join(", ", Arrays.asList(all).subList(0, Math.min(3, all.length)))) + ")";
    }

    private static String prefix(String label) {
        return label.isEmpty() ? "" : label + ": ";
    }

    private static String where(String label, int line, int column) {
        if (line < 1) {
            return prefix(label);
        }
        return (label.isEmpty() ? "" : label + ", ") + "line " + line + (column > 0 ? ", column " + column : "") + ": ";
    }

    /** The first line of a message of Groovy's (which may run to many lines and quote the input), safe and cut. */
    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return OneLine.of(newline < 0 ? stripped : stripped.substring(0, newline).strip());
    }

    /** The offending source line and a caret under the column, cut to a readable width. */
    private static String excerpt(String source, int line, int column) {
        String[] lines = source.split("\r?\n", -1);
        if (line < 1 || line > lines.length || column < 1) {
            return "";
        }
        String raw = lines[line - 1];
        int caret = Math.min(column - 1, raw.length());
        int from = raw.length() > MAX_SHOWN ? Math.max(0, Math.min(caret - MAX_SHOWN / 2, raw.length() - MAX_SHOWN)) : 0;
        int to = Math.min(raw.length(), from + MAX_SHOWN);
        // Control characters are shown escaped (a raw one could move the cursor or clear the screen); the caret follows.
        String before = (from > 0 ? "..." : "") + Escape.field(raw.substring(from, caret));
        String text = before + Escape.field(raw.substring(caret, to)) + (to < raw.length() ? "..." : "");
        return "\n  " + text + "\n  " + " ".repeat(before.length()) + "^";
    }
}

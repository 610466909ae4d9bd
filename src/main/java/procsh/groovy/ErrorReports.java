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
import procsh.core.ProcshException;

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
                message = "Unexpected input: '" + firstLine(stretch) + "'";
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
            return t.getMessage();
        }
        if (t instanceof MissingPropertyException e && e.getType() != null) {
            return Script.class.isAssignableFrom(e.getType())
                    ? "unknown variable '" + e.getProperty() + "'"
                    : "no property '" + e.getProperty() + "' on " + e.getType().getSimpleName() + suggestions(e);
        }
        if (t instanceof MissingMethodException e && e.getType() != null) {
            String call = e.getMethod() + "(" + Arrays.stream(e.getArguments())
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
        return " (maybe " + String.join(", ", Arrays.asList(all).subList(0, Math.min(3, all.length))) + ")";
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

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline).strip();
    }

    /** The offending source line and a caret under the column, cut to a readable width. */
    private static String excerpt(String source, int line, int column) {
        String[] lines = source.split("\r?\n", -1);
        if (line < 1 || line > lines.length || column < 1) {
            return "";
        }
        // A stray carriage return or other control character would break the excerpt's lines: show '?', one for one.
        String text = lines[line - 1].replaceAll("[\\p{Cntrl}&&[^\t]]", "?");
        int caret = Math.min(column - 1, text.length());
        if (text.length() > MAX_SHOWN) {
            int from = Math.max(0, Math.min(caret - MAX_SHOWN / 2, text.length() - MAX_SHOWN));
            text = (from > 0 ? "..." : "") + text.substring(from, from + MAX_SHOWN);
            caret = caret - from + (from > 0 ? 3 : 0);
        }
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < caret; i++) {
            pad.append(i < text.length() && text.charAt(i) == '\t' ? '\t' : ' ');
        }
        return "\n  " + text + "\n  " + pad + "^";
    }
}

package procsh.groovy;

import java.util.List;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Whether Groovy input stops in the middle of something (an open brace, bracket, paren, a
 * triple-quoted string, a trailing operator), so the console should ask for another line.
 * Asked of Groovy's own parser: the input is unfinished when its syntax error sits at the end
 * of the input, or when more input moves the error further on; an error that more input
 * cannot move is a real one and is shown at once.
 */
final class InputCompleteness {

    /** Text that would continue an unfinished input: a next line, or the closer of a multi-line string or comment. */
    private static final List<String> CONTINUATIONS = List.of("\n0", "\n'''", "\n\"\"\"", "\n/$", "\n*/");

    private InputCompleteness() {
    }

    static boolean isIncomplete(String source) {
        if (source == null || source.isBlank()) {
            return false;
        }
        if (InputShape.problem(source, InputShape.MAX_INPUT_CHARS) != null) {
            return false; // run it, to be refused in one line
        }
        InputShape.Scan shape = InputShape.scan(source);
        if (shape.sure() && shape.open()) {
            return true; // an open bracket or string: no need to ask the parser at every line
        }
        SyntaxException error = syntaxError(source);
        if (error == null) {
            return false;
        }
        if (error.getOriginalMessage() != null && error.getOriginalMessage().contains("<EOF>")) {
            return true;
        }
        for (String more : CONTINUATIONS) {
            SyntaxException after = syntaxError(source + more);
            if (after == null || later(after, error)) {
                return true;
            }
        }
        return false;
    }

    private static boolean later(SyntaxException a, SyntaxException b) {
        return a.getLine() > b.getLine() || a.getLine() == b.getLine() && a.getStartColumn() > b.getStartColumn();
    }

    /** The first syntax error of the input, or null when it parses. */
    private static SyntaxException syntaxError(String source) {
        CompilationUnit unit = new CompilationUnit(new CompilerConfiguration());
        unit.addSource("input.groovy", source);
        try {
            unit.compile(Phases.CONVERSION);
            return null;
        } catch (MultipleCompilationErrorsException e) {
            if (e.getErrorCollector().getErrorCount() > 0
                    && e.getErrorCollector().getError(0) instanceof SyntaxErrorMessage syntax) {
                return syntax.getCause();
            }
            return null;
        } catch (CompilationFailedException e) {
            return null;
        }
    }
}

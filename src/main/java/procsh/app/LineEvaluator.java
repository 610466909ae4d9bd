package procsh.app;

import java.io.PrintWriter;

/** Evaluates a line that is not a command (Groovy), printing its result. */
public interface LineEvaluator {

    /** @return the line's status: 0 ok, 1 an error was printed */
    int evaluate(String source, PrintWriter out, PrintWriter err) throws InterruptedException;

    /** True when the source is unfinished (an open brace, bracket or string) and wants another line. */
    boolean isIncomplete(String source);

    /** Stops a running evaluation (Ctrl-C). */
    void interrupt();

    /** Completion candidates for the word starting at {@code wordStart}, each replacing that whole word. */
    java.util.List<String> complete(String buffer, int cursor, int wordStart);
}

package procsh.console;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import procsh.app.ProcshSession;

/**
 * JLine's parser, plus Groovy continuation: unfinished Groovy (an open brace, bracket or string)
 * asks for another line instead of being run. Command lines with an unclosed quote are not
 * continued: the command layer says what is wrong in one line.
 */
final class ConsoleParser extends DefaultParser {

    private final java.util.function.Supplier<ProcshSession> session;

    ConsoleParser(java.util.function.Supplier<ProcshSession> session) {
        this.session = session;
        setEofOnUnclosedQuote(false);
        setEofOnEscapedNewLine(false);
        setEscapeChars(new char[] {'\\'});
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE && incomplete(line)) {
            throw new EOFError(-1, -1, "incomplete Groovy", "groovy");
        }
        try {
            return split(line, cursor, context);
        } catch (StackOverflowError deep) {
            // JLine's escape check recurses once per backslash in a row: 20,000 of them (a paste) ended
            // procsh. The line goes on as one word; the command layer and Groovy have their own limits.
            return new ArgumentList(line, List.of(line), 0, cursor, cursor, null, cursor, line.length());
        }
    }

    private ParsedLine split(String line, int cursor, ParseContext context) {
        try {
            return super.parse(line, cursor, context);
        } catch (EOFError e) {
            if (context == ParseContext.ACCEPT_LINE) {
                throw e;
            }
            return super.parse(line, cursor, ParseContext.SPLIT_LINE);
        }
    }

    /**
     * Asks Groovy's parser on a thread of its own: the reader thread waits, and Ctrl-C (which
     * interrupts the reader thread) stops the wait and clears the line as at any prompt. The
     * parse itself is bounded by the engine's limits on size and nesting, so it ends soon.
     */
    private boolean incomplete(String line) {
        ProcshSession s = session.get();
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Thread parser = new Thread(() -> {
            try {
                answer.complete(s.isIncomplete(line));
            } catch (RuntimeException | Error e) {
                answer.complete(false); // run it: the evaluation says what is wrong
            }
        }, "procsh-parse");
        parser.setDaemon(true);
        parser.start();
        try {
            return answer.get();
        } catch (InterruptedException e) {
            throw new UserInterruptException(line);
        } catch (ExecutionException impossible) {
            return false;
        }
    }
}

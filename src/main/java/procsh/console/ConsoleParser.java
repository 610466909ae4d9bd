package procsh.console;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
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
        if (context == ParseContext.ACCEPT_LINE && session.get().isIncomplete(line)) {
            throw new EOFError(-1, -1, "incomplete Groovy", "groovy");
        }
        try {
            return super.parse(line, cursor, context);
        } catch (EOFError e) {
            if (context == ParseContext.ACCEPT_LINE) {
                throw e;
            }
            return super.parse(line, cursor, ParseContext.SPLIT_LINE);
        }
    }
}

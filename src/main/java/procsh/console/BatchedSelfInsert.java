package procsh.console;

import org.jline.reader.LineReader;
import org.jline.reader.Widget;
import org.jline.reader.impl.LineReaderImpl;

/**
 * Self-insert that takes, with the typed character, every printable character already waiting.
 * A paste into a terminal that does not bracket pastes arrives as keystrokes, and JLine redraws the
 * whole line (and copies it for undo) after each one: a 20,000-character paste took over a minute.
 * Taken in one go it is one redraw. A key typed alone is inserted by JLine's own widget, as before.
 */
final class BatchedSelfInsert implements Widget {

    /** Longest batch before a redraw, so a huge paste still shows progress. */
    private static final int MAX_BATCH = 64 << 10;
    /** How long to look for a waiting character: what a paste already sent is there at once. */
    private static final long PEEK_MILLIS = 1;

    private final LineReaderImpl reader;

    private BatchedSelfInsert(LineReaderImpl reader) {
        this.reader = reader;
    }

    /** On JLine's own reader (peeking at waiting input is not part of the LineReader interface). */
    static void install(LineReader reader) {
        if (reader instanceof LineReaderImpl impl) {
            reader.getWidgets().put(LineReader.SELF_INSERT, new BatchedSelfInsert(impl));
        }
    }

    @Override
    public boolean apply() {
        if (!printable(reader.peekCharacter(PEEK_MILLIS))) {
            reader.callWidget("." + LineReader.SELF_INSERT); // JLine's own: counts, overwrite mode
            return true;
        }
        StringBuilder text = new StringBuilder(reader.getLastBinding());
        while (text.length() < MAX_BATCH && printable(reader.peekCharacter(PEEK_MILLIS))) {
            text.appendCodePoint(reader.readCharacter());
        }
        reader.getBuffer().write(text);
        return true;
    }

    private static boolean printable(int c) {
        return c >= 0x20 && c != 0x7f;
    }
}

package procsh.console;

import java.io.Writer;
import org.jline.reader.LineReader;

/**
 * The console's output for commands and scripts. Output that arrives while the user is typing
 * (an onExit closure, a background evaluation) is printed above the prompt, a whole line at a
 * time, so the line being typed is never broken; otherwise it goes straight to the terminal.
 */
final class PromptSafeWriter extends Writer {

    private final LineReader reader;
    private final StringBuilder pending = new StringBuilder();

    PromptSafeWriter(LineReader reader) {
        this.reader = reader;
    }

    @Override
    public synchronized void write(char[] chars, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = chars[i];
            if (c == '\n') {
                emit(pending.toString(), true);
                pending.setLength(0);
            } else {
                pending.append(c);
            }
        }
    }

    @Override
    public synchronized void flush() {
        if (pending.length() > 0 && !reader.isReading()) {
            emit(pending.toString(), false);
            pending.setLength(0);
        }
        reader.getTerminal().writer().flush();
    }

    private void emit(String text, boolean newline) {
        if (reader.isReading()) {
            reader.printAbove(text);
        } else {
            reader.getTerminal().writer().print(newline ? text + "\n" : text);
        }
    }

    @Override
    public void close() {
        flush();
    }
}

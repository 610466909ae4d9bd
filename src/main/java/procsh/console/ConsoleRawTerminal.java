package procsh.console;

import java.io.IOException;
import java.io.InputStream;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingInputStream;
import procsh.command.RawTerminal;

/** The console's JLine terminal, byte for byte, for {@code attach}. */
final class ConsoleRawTerminal implements RawTerminal {

    private final Terminal terminal;
    private volatile boolean raw;

    ConsoleRawTerminal(Terminal terminal) {
        this.terminal = terminal;
    }

    /** True while a job has the keyboard: Ctrl-C is the job's then, not an interrupt of procsh's command. */
    boolean active() {
        return raw;
    }

    @Override
    public String type() {
        String type = terminal.getType();
        return type == null || type.startsWith(Terminal.TYPE_DUMB) ? null : type;
    }

    @Override
    public int columns() {
        return terminal.getWidth();
    }

    @Override
    public int rows() {
        return terminal.getHeight();
    }

    @Override
    public Mode enterRaw() {
        terminal.flush();
        Attributes before = terminal.enterRawMode();
        Attributes attrs = terminal.getAttributes();
        // Beyond JLine's raw mode, as a terminal multiplexer's: keys that make signals (Ctrl-C, Ctrl-Z,
        // Ctrl-\) are bytes for the job, whose own terminal turns them into signals for it; the job's
        // output, already processed by its terminal, is shown as it is.
        attrs.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        attrs.setInputFlag(Attributes.InputFlag.IXON, false);
        attrs.setInputFlag(Attributes.InputFlag.ICRNL, false);
        attrs.setOutputFlag(Attributes.OutputFlag.OPOST, false);
        terminal.setAttributes(attrs);
        raw = true;
        return () -> {
            raw = false;
            terminal.setAttributes(before);
        };
    }

    @Override
    public int read(byte[] buffer, long timeoutMillis) throws IOException {
        InputStream in = terminal.input();
        if (in instanceof NonBlockingInputStream nb) {
            int n = nb.readBuffered(buffer, timeoutMillis);
            return n == NonBlockingInputStream.READ_EXPIRED ? 0 : n;
        }
        int n = in.read(buffer); // a terminal without timed reads: blocks until a key
        return n == 0 ? 0 : n;
    }

    @Override
    public void write(byte[] bytes, int length) throws IOException {
        terminal.output().write(bytes, 0, length);
        terminal.output().flush();
    }

    @Override
    public Mode watchSize(Runnable onResize) {
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.WINCH, signal -> onResize.run());
        return () -> terminal.handle(Terminal.Signal.WINCH, previous);
    }
}

package procsh.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A console terminal for attach in tests: keys are queued by the test, the screen is a byte buffer. */
final class PipedRawTerminal implements RawTerminal {

    private final BlockingQueue<byte[]> keys = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private volatile int columns;
    private volatile int rows;
    private volatile Runnable onResize;
    final AtomicInteger rawModes = new AtomicInteger();

    PipedRawTerminal(int columns, int rows) {
        this.columns = columns;
        this.rows = rows;
    }

    void type(String text) {
        keys.add(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Changes the size as a window resize would, and says so as WINCH does. */
    void resize(int columns, int rows) {
        this.columns = columns;
        this.rows = rows;
        Runnable r = onResize;
        if (r != null) {
            r.run();
        }
    }

    String screen() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public String type() {
        return "xterm";
    }

    @Override
    public int columns() {
        return columns;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public Mode enterRaw() {
        rawModes.incrementAndGet();
        return rawModes::decrementAndGet;
    }

    @Override
    public int read(byte[] buffer, long timeoutMillis) throws java.io.IOException {
        try {
            byte[] next = keys.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (next == null) {
                return 0;
            }
            System.arraycopy(next, 0, buffer, 0, next.length); // tests type short strings
            return next.length;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public void write(byte[] bytes, int length) {
        synchronized (screen) {
            screen.write(bytes, 0, length);
        }
    }

    @Override
    public Mode watchSize(Runnable onResize) {
        this.onResize = onResize;
        return () -> this.onResize = null;
    }
}

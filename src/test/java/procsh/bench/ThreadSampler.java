package procsh.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Samples this process's OS thread count (Threads in /proc/self/status, so JVM-internal threads
 * count too) every few milliseconds: the JDK backend's reaper threads come and go with the jobs,
 * and a single reading could miss the peak. Each sample re-reads the open file into one buffer
 * and parses it in place, so the sampler makes no garbage that would swell the heap (and the
 * RSS) it is measuring beside.
 */
final class ThreadSampler {

    private static final long PERIOD_MS = 5;
    private static final byte[] KEY = "\nThreads:".getBytes(StandardCharsets.US_ASCII);

    private final Thread thread;
    private final FileChannel status;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(16 << 10);
    private volatile boolean running = true;
    private volatile long peak;

    private ThreadSampler() throws IOException {
        status = FileChannel.open(Path.of("/proc/self/status"), StandardOpenOption.READ);
        thread = new Thread(this::run, "bench-thread-sampler");
        thread.setDaemon(true);
    }

    static ThreadSampler start() throws IOException {
        ThreadSampler sampler = new ThreadSampler();
        sampler.thread.start();
        return sampler;
    }

    private void run() {
        while (running) {
            long threads = sample();
            if (threads > peak) {
                peak = threads;
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The Threads field now, or -1. A read at offset 0 makes procfs generate the file afresh. */
    private long sample() {
        buffer.clear();
        try {
            while (buffer.hasRemaining() && status.read(buffer, buffer.position()) > 0) {
                // keep reading: the file may come in more than one piece
            }
        } catch (IOException e) {
            return -1;
        }
        int end = buffer.position();
        outer:
        for (int i = 0; i + KEY.length <= end; i++) {
            for (int k = 0; k < KEY.length; k++) {
                if (buffer.get(i + k) != KEY[k]) {
                    continue outer;
                }
            }
            long value = 0;
            for (int j = i + KEY.length; j < end; j++) {
                byte b = buffer.get(j);
                if (b >= '0' && b <= '9') {
                    value = value * 10 + (b - '0');
                } else if (b == '\n') {
                    break;
                }
            }
            return value;
        }
        return -1;
    }

    /** Stops sampling; the peak seen, the sampler's own thread not counted. */
    int stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        try {
            status.close();
        } catch (IOException ignored) {
            // Read-only /proc file: nothing to lose.
        }
        return (int) Math.max(0, peak - 1);
    }
}

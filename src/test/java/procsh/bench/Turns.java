package procsh.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.Map;

/**
 * Turn-taking among the harnesses of a paired run (src/bench/run): all implementations run at
 * once, each takes one sample, then hands the turn to the next through a ring of FIFOs. Every
 * implementation is thus sampled in the same seconds, so the VM's drift (the kill latency of one
 * peer moved by 30% from one minute to the next) falls on each alike. The waiting harnesses are
 * blocked in read(2), idle. Without {@code --turn-in}/{@code --turn-out} both calls do nothing.
 */
final class Turns implements AutoCloseable {

    private final RandomAccessFile in;
    private final RandomAccessFile out;

    private Turns(RandomAccessFile in, RandomAccessFile out) {
        this.in = in;
        this.out = out;
    }

    static Turns from(Map<String, String> args) throws IOException {
        String in = args.get("turn-in");
        String out = args.get("turn-out");
        if (in == null || out == null) {
            return new Turns(null, null);
        }
        // Read-write, so that opening a FIFO does not wait for the other end to be opened.
        return new Turns(new RandomAccessFile(in, "rw"), new RandomAccessFile(out, "rw"));
    }

    /** Blocks until it is this harness's turn. */
    void take() throws IOException {
        if (in != null && in.read() < 0) {
            throw new EOFException("the turn ring was closed");
        }
    }

    /** Hands the turn on. */
    void pass() throws IOException {
        if (out != null) {
            out.write('t');
        }
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
            out.close();
        }
    }
}

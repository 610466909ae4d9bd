package procsh.remote;

import java.io.IOException;
import java.util.Arrays;
import procsh.core.JobOutput;
import procsh.core.OutputChannel;
import procsh.core.ViewedTerminal;

/**
 * A job's terminal on its host, as attach and send see it: what the job writes there arrives in
 * its stdout log here, and an attached viewer is shown it from that log by a thread of its own,
 * so a slow console never holds up the connection's reader. Keys go to the agent as stdin, sizes
 * as resize requests, in the order they are made.
 */
final class RemoteTerminal extends ViewedTerminal {

    /** How long the viewer's thread waits for news before it looks at the log anyway. */
    private static final long WAIT_MS = 100;
    private static final int CHUNK = 64 << 10;

    private final RemoteProcess run;
    private final String path;
    private volatile int columns;
    private volatile int rows;
    private volatile JobOutput output;
    /** Counts arrivals (and detaches), so a waiting viewer thread wakes at once. */
    private final Object news = new Object();
    private long arrivals;

    RemoteTerminal(RemoteProcess run, String path, int columns, int rows) {
        this.run = run;
        this.path = path;
        this.columns = columns;
        this.rows = rows;
        run.onExit().whenComplete((status, error) -> ended());
    }

    /** Where the job's output lands here: set once the table has its log, before anyone can attach. */
    void showFrom(JobOutput output) {
        this.output = output;
    }

    /** Output as it arrives, in order, on the connection's reader thread, already in the log. */
    void arrived(byte[] bytes) {
        screen.see(bytes, bytes.length);
        wake();
    }

    /** The agent there is gone: nothing holds this terminal any more, as far as anyone will know. */
    void hostGone() {
        closed.complete(null);
        wake();
    }

    @Override
    public String path() {
        return path;
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
    public void resize(int columns, int rows) {
        if (isClosed()) {
            return;
        }
        this.columns = Math.max(1, columns);
        this.rows = Math.max(1, rows);
        run.resize(this.columns, this.rows);
    }

    /**
     * Waits briefly for the agent's answer: it says how much the terminal there took within its stall
     * bound. While the link is down this is a {@link procsh.core.ConnectionLost}: attach drops the keys
     * and goes on, send says the connection is lost.
     */
    @Override
    public int type(byte[] bytes, int offset, int length) throws IOException {
        return run.type(offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /** The session is closing: a viewer's thread stops (the job there goes on or ends with its agent, as the session says). */
    @Override
    public void close() {
        closed.complete(null);
        wake();
    }

    /** Sends the size again, after a reconnection: one made while the link was down was lost with it. */
    void sizeAgain() {
        if (!isClosed()) {
            run.resize(columns, rows);
        }
    }

    /** Only once the table has its log: the viewer is shown from there. */
    @Override
    protected boolean canShow() {
        return output != null;
    }

    /** A thread of the viewer's own shows it the log from now on (what came before: a prompt, a redraw, is the attach's). */
    @Override
    protected void showing(Viewer v) {
        JobOutput log = output;
        long from = log.written(OutputChannel.STDOUT);
        Thread t = new Thread(() -> follow(v, log, from), "procsh-remote-pty-" + run.agentJob());
        t.setDaemon(true);
        t.start();
    }

    @Override
    protected void left() {
        if (run.onExit().isDone() && viewer == null) {
            closed.complete(null); // ended while shown, and now no one is shown it
        }
        wake();
    }

    /** On the connection's reader thread: never waits for the viewer's lock, which is held while the console is written to. */
    private void ended() {
        if (viewer == null) {
            closed.complete(null); // else its thread does, once it has shown the last of it
        }
        wake();
    }

    /** The viewer's thread: shows the log from {@code at} on until the viewer leaves or the job has ended. */
    private void follow(Viewer v, JobOutput log, long at) {
        long seen = -1;
        try {
            while (true) {
                // Read before the log: all the job wrote is in it once its end is known.
                boolean over = run.onExit().isDone() || isClosed();
                at = show(v, log, at);
                if (at < 0 || over) {
                    return;
                }
                synchronized (news) {
                    if (arrivals == seen) {
                        news.wait(WAIT_MS);
                    }
                    seen = arrivals;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Not when another viewer took over: its thread shows the last words and closes.
            Viewer now = viewer;
            if (run.onExit().isDone() && (now == null || now == v)) {
                closed.complete(null);
            }
        }
    }

    /** Shows what the log holds from {@code at} on; returns where it stopped, or -1 once {@code v} is no longer the viewer. */
    private long show(Viewer v, JobOutput log, long at) {
        while (true) {
            JobOutput.Chunk chunk = log.read(OutputChannel.STDOUT, at, CHUNK);
            synchronized (viewerLock) {
                if (viewer != v) {
                    return -1;
                }
                if (chunk.bytes().length == 0) {
                    return at;
                }
                try {
                    v.show(chunk.bytes(), chunk.bytes().length);
                } catch (IOException | RuntimeException e) {
                    viewer = null; // the viewer's terminal went away: the job goes on, logged
                    return -1;
                }
            }
            at = chunk.at() + chunk.bytes().length;
        }
    }

    private void wake() {
        synchronized (news) {
            arrivals++;
            news.notifyAll();
        }
    }
}

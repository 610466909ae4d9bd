package procsh.remote;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import procsh.core.FullScreen;
import procsh.core.JobOutput;
import procsh.core.JobTerminal;
import procsh.core.OutputChannel;

/**
 * A job's terminal on its host, as attach and send see it: what the job writes there arrives in
 * its stdout log here, and an attached viewer is shown it from that log by a thread of its own,
 * so a slow console never holds up the connection's reader. Keys go to the agent as stdin, sizes
 * as resize requests, in the order they are made.
 */
final class RemoteTerminal implements JobTerminal {

    /** How long the viewer's thread waits for news before it looks at the log anyway. */
    private static final long WAIT_MS = 100;
    private static final int CHUNK = 64 << 10;

    private final RemoteProcess run;
    private final String path;
    private volatile int columns;
    private volatile int rows;
    private final FullScreen screen = new FullScreen();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Object viewerLock = new Object();
    private Viewer viewer;
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
    public boolean fullScreen() {
        return screen.on();
    }

    @Override
    public boolean alternateScreen() {
        return screen.alternate();
    }

    /** Completes once the job has ended there and an attached viewer has been shown all it wrote. */
    @Override
    public CompletableFuture<Void> whenClosed() {
        return closed;
    }

    @Override
    public boolean isClosed() {
        return closed.isDone();
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
     * Waits for the agent's answer: it says how much the terminal there took within its stall bound.
     * While the link is down the keys are dropped, as a terminal that takes nothing drops them, and the
     * attach goes on: the screen resumes when procsh has reconnected.
     */
    @Override
    public int type(byte[] bytes, int offset, int length) throws IOException {
        if (away()) {
            return 0;
        }
        try {
            return run.writeStdin(offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length), 0);
        } catch (IOException e) {
            if (away()) {
                return 0; // the link went down meanwhile
            }
            throw e;
        }
    }

    /** The connection is down for now (not for good: a job whose agent is gone ends the attach). */
    private boolean away() {
        return run.lost() && !run.vanished();
    }

    @Override
    public boolean attach(Viewer viewer) {
        synchronized (viewerLock) {
            JobOutput log = output;
            if (this.viewer != null || isClosed() || log == null) {
                return false;
            }
            this.viewer = viewer;
            long from = log.written(OutputChannel.STDOUT); // what came before is the attach's to show (a prompt, a redraw)
            Thread t = new Thread(() -> follow(viewer, log, from), "procsh-remote-pty-" + run.agentJob());
            t.setDaemon(true);
            t.start();
            return true;
        }
    }

    @Override
    public void detach(Viewer viewer) {
        synchronized (viewerLock) {
            if (this.viewer == viewer) {
                this.viewer = null;
            }
        }
        wake();
    }

    @Override
    public boolean attached() {
        synchronized (viewerLock) {
            return viewer != null;
        }
    }

    private void ended() {
        synchronized (viewerLock) {
            if (viewer == null) {
                closed.complete(null); // else its thread does, once it has shown the last of it
            }
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
            if (run.onExit().isDone()) {
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

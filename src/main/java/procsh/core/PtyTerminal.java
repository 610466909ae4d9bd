package procsh.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import procsh.os.Pty;

/**
 * A job's pseudo-terminal on this machine: one daemon thread copies what the job writes to
 * it into the job's stdout log and, while someone is attached, to that viewer too. The thread
 * ends (and closes the master) once the job and every child of it have let go of the terminal,
 * or when the session closes.
 */
final class PtyTerminal extends ViewedTerminal {

    /** How long a write to the terminal waits for the job to take input before giving up. */
    static final long TYPE_STALL_NANOS = JobTable.STDIN_STALL.toNanos();
    private static final int POLL_MILLIS = 200;

    private final Pty pty;
    private final String path;
    private final FileChannel log;
    private final Thread pump;
    private volatile boolean stopping;

    /** The job's own process ending: the master is held open until then (see {@link #pump}). */
    private final CompletableFuture<?> processEnd;

    PtyTerminal(Pty pty, FileChannel log, int jobId, CompletableFuture<?> processEnd) {
        this.pty = pty;
        this.processEnd = processEnd;
        this.path = pty.slavePath();
        this.log = log;
        this.pump = new Thread(this::pump, "procsh-pty-" + jobId);
        pump.setDaemon(true);
    }

    void start() {
        pump.start();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public int columns() {
        return pty.columns();
    }

    @Override
    public int rows() {
        return pty.rows();
    }

    @Override
    public void resize(int columns, int rows) {
        if (isClosed()) {
            return;
        }
        try {
            pty.resize(columns, rows);
        } catch (IOException e) {
            // Closed meanwhile: the job has let go of its terminal, so no one is there to redraw.
        }
    }

    @Override
    public int type(byte[] bytes, int offset, int length) throws IOException {
        return pty.write(bytes, offset, length, TYPE_STALL_NANOS);
    }


    /** Ends the pump at its next look (the session is closing): the terminal is closed, the job hung up. */
    @Override
    public void close() {
        stopping = true;
        try {
            pump.join(2 * POLL_MILLIS + 100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pump thread's own, for the tests' check that it is gone. */
    Thread pumpThread() {
        return pump;
    }

    private void pump() {
        byte[] buffer = new byte[8192];
        try {
            while (!stopping) {
                int n = pty.read(buffer, POLL_MILLIS);
                if (n < 0) {
                    awaitProcessEnd();
                    break;
                }
                if (n > 0) {
                    writeLog(buffer, n);
                    screen.see(buffer, n);
                    show(buffer, n);
                }
            }
        } catch (IOException | RuntimeException e) {
            // A terminal that cannot be read any more is treated as closed: the job's end is still seen by the reaper.
        } finally {
            pty.close();
            try {
                log.close();
            } catch (IOException ignored) {
                // Nothing more will be written.
            }
            closed.complete(null);
        }
    }

    /**
     * Nothing holds the terminal open any more, but the job may still be running: GNU cat, for one,
     * closes its standard streams before it exits. Closing the master now would hang the terminal up
     * and kill it with SIGHUP on its way out, so it stays open until the job's own process has ended.
     */
    private void awaitProcessEnd() {
        while (!stopping && !processEnd.isDone()) {
            try {
                processEnd.get(POLL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // Looked at again: the session may be closing.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeLog(byte[] buffer, int n) {
        try {
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
            while (b.hasRemaining()) {
                log.write(b);
            }
        } catch (IOException e) {
            // A full disk loses log output, not the job's screen: the viewer still gets it.
        }
    }

    private void show(byte[] buffer, int n) {
        synchronized (viewerLock) {
            if (viewer != null) {
                try {
                    viewer.show(buffer, n);
                } catch (IOException | RuntimeException e) {
                    viewer = null; // the viewer's terminal went away: the job goes on, logged
                }
            }
        }
    }
}

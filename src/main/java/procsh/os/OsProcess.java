package procsh.os;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A process a backend started: its PID, its end, and the few ways to reach it. */
public interface OsProcess {

    long pid();

    /** Completes once the process has ended and been reaped. */
    CompletableFuture<ExitStatus> onExit();

    /** Whether the process has been reaped, so that its PID may belong to another process now. */
    boolean reaped();

    /**
     * Waits until the process has ended and been reaped, or the time has passed; {@link #onExit()}
     * is complete when this returns true. Interruptible.
     *
     * @param timeoutNanos how long to wait; {@link Long#MAX_VALUE} for no limit
     */
    default boolean awaitExit(long timeoutNanos) throws InterruptedException {
        try {
            onExit().get(timeoutNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Asks the backend to see this process's end as it happens from now on, for a wait that
     * depends on {@link #onExit()}: a backend that starts watching new processes a little later
     * (in batches) starts watching this one now.
     */
    default void watchNow() {
    }

    /** What a poll finds a process doing. */
    enum Activity { RUNNING, STOPPED, ENDED }

    /**
     * Asks the OS what the process is doing now, without waiting. As Python's poll, it reaps a
     * process that has ended; {@link #onExit()} is complete when this says ENDED, also when another
     * thread reaped the process first.
     */
    default Activity poll() {
        if (onExit().isDone()) {
            return Activity.ENDED;
        }
        char state = ProcFs.state(pid());
        return (state == 'T' || state == 't') && !reaped() ? Activity.STOPPED : Activity.RUNNING;
    }

    /**
     * Sends a signal to this process only, and never to a process that reused its PID.
     *
     * @return false when the process had already been reaped, so nothing was sent
     */
    boolean signal(Signal signal) throws IOException;

    /** Whether a pipe to the process's stdin is open. */
    boolean hasStdin();

    /**
     * Writes what the stdin pipe takes, without blocking for long: a job that does not read
     * must never hold up the console. Stops once the pipe has taken nothing for
     * {@code stallNanos}, or when the thread is interrupted (its flag then stays set).
     *
     * @return how many bytes, from the start of {@code bytes}, were written
     */
    int writeStdin(byte[] bytes, long stallNanos) throws IOException;

    void closeStdin() throws IOException;
}

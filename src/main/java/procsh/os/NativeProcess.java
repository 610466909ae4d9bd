package procsh.os;

import static procsh.os.LibcDirect.CLD_DUMPED;
import static procsh.os.LibcDirect.CLD_EXITED;
import static procsh.os.LibcDirect.CLD_KILLED;
import static procsh.os.LibcDirect.EAGAIN;
import static procsh.os.LibcDirect.EPIPE;
import static procsh.os.LibcDirect.POLLIN;
import static procsh.os.LibcDirect.P_PIDFD;
import static procsh.os.LibcDirect.SIGINFO_INTS;
import static procsh.os.LibcDirect.SI_CODE;
import static procsh.os.LibcDirect.SI_PID;
import static procsh.os.LibcDirect.SI_STATUS;
import static procsh.os.LibcDirect.WEXITED;
import static procsh.os.LibcDirect.WNOHANG;
import static procsh.os.LibcDirect.WNOWAIT;
import static procsh.os.LibcDirect.WSTOPPED;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A child started by {@link NativeBackend}. Reaping and signalling happen under this object's lock,
 * and until a child is reaped its PID cannot be given to another process: so a signal never goes
 * out after the reap that frees the PID. Reaped by the {@link NativeReaper}, which holds a pidfd
 * for it in its own descriptor table, or by a thread that waits for it ({@link #awaitExit}).
 */
final class NativeProcess implements OsProcess {

    /** How often a thread waiting in poll(2) looks at its interrupt flag: Ctrl-C answers within this. */
    private static final int POLL_SLICE_MILLIS = 50;
    private static final int POLLIN_EVENTS = LibcDirect.pollEvents(POLLIN);
    private static final int POLLOUT_EVENTS = LibcDirect.pollEvents(LibcDirect.POLLOUT);
    private static final int P_PID = 1;

    private final long token;
    private final int pid;
    private final NativeReaper reaper;
    private final Libc libc;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private int stdinFd;
    private volatile boolean reaped;
    /** The end found by whichever thread reaped the process: set with {@link #reaped}, under the lock. */
    private ExitStatus reapedStatus;
    /** The reaper's pidfd for this process (a descriptor in the reaper thread's table), or -1. */
    private int reaperFd = -1;
    private boolean adoptionPending;
    private boolean releasePending;
    /** Threads inside {@link #awaitExit}: while there are any, the reaper leaves the reaping to them. */
    private int directWaiters;

    NativeProcess(int pid, int stdinFd, NativeReaper reaper, Libc libc) {
        this.token = reaper.newToken();
        this.pid = pid;
        this.stdinFd = stdinFd;
        this.reaper = reaper;
        this.libc = libc;
    }

    /** Gives the process to the reaper; called once, when it has been started. */
    synchronized void handToReaper() {
        adoptionPending = true;
        reaper.adopt(this);
    }

    @Override
    public synchronized void watchNow() {
        if (adoptionPending) {
            reaper.adoptNow();
        }
    }

    long token() {
        return token;
    }

    NativeReaper reaperForTests() {
        return reaper;
    }

    synchronized int directWaitersForTests() {
        return directWaiters;
    }

    /** On the reaper thread: opens its pidfd there, unless the process is reaped or waited on directly. */
    synchronized boolean openReaperFd() {
        adoptionPending = false;
        if (reaped || directWaiters > 0) {
            closeReaperFd(); // one left open by a reap that failed here before (see NativeReaper's stranded)
            return false;
        }
        if (reaperFd >= 0) {
            return true;
        }
        reaperFd = (int) LibcDirect.syscall(LibcDirect.SYS_PIDFD_OPEN, pid, 0L, 0L, 0L);
        return true;
    }

    /**
     * On the reaper thread, asked by a thread that waits on the process itself: gives up the
     * reaper's pidfd, which the reaper then takes out of its epoll set and closes.
     *
     * @return that pidfd, or -1 to leave the process watched (its waiter has gone, or it is reaped)
     */
    synchronized int releaseReaperFd() {
        releasePending = false;
        if (directWaiters == 0 || reaped) {
            return -1;
        }
        int fd = reaperFd;
        reaperFd = -1;
        return fd;
    }

    /** On the reaper thread. */
    synchronized int reaperFd() {
        return reaperFd;
    }

    /** On the reaper thread, after a lead reaped the process: closes the reaper's pidfd, which is done with. */
    synchronized void closeReaperFdAfterReap() {
        if (reaped) {
            closeReaperFd();
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit;
    }

    @Override
    public boolean reaped() {
        return reaped;
    }

    /**
     * On the reaper thread, its pidfd readable: reaps the process, and reports the end through the
     * completions thread (never from here: see {@link NativeReaper}). Steps aside for a thread
     * that waits on the process itself.
     *
     * @return false when the process has not ended after all, so it is to be watched again
     */
    boolean reapFromReaper() {
        ExitStatus status;
        int stdin;
        synchronized (this) {
            if (reaped || directWaiters > 0) {
                closeReaperFd();
                return true;
            }
            status = reapLocked(P_PIDFD, reaperFd);
            if (status == null) {
                return false;
            }
            closeReaperFd();
            // The stdin pipe is a descriptor of the shared table: closed there, not in this thread's.
            stdin = stdinFd;
            stdinFd = -1;
        }
        reaper.complete(() -> {
            LibcDirect.closeQuietly(stdin);
            exit.complete(status);
        });
        return true;
    }

    /** On a thread that waits for the process, its own pidfd readable: reaps it and completes {@link #onExit()} here. */
    private boolean reapDirectly(int pidfd) {
        ExitStatus status;
        synchronized (this) {
            if (reaped) {
                return true;
            }
            status = reapLocked(P_PIDFD, pidfd);
            if (status == null) {
                return false;
            }
            closeStdinLocked();
            // The reaper's pidfd, if it has one, turns readable too: the reaper closes it in its own table.
        }
        exit.complete(status);
        return true;
    }

    /**
     * On a lead (see {@link ExitEpoll}) that was given this process's end while it waits for
     * another: reaps it and reports the end through the completions thread, so the lead goes on waiting.
     */
    void reapForLead() {
        reapReportedEnd(false);
    }

    /** waitid without blocking (by pidfd or PID): the exit status, or null if the process has not ended. */
    private ExitStatus reapLocked(int idType, int id) {
        ExitStatus status;
        int[] info = new int[SIGINFO_INTS];
        try {
            LibcDirect.waitid(idType, id, info, WEXITED | WNOHANG);
            if (info[SI_PID] == 0) {
                return null;
            }
            int code = info[SI_CODE];
            status = code == CLD_EXITED ? ExitStatus.exited(info[SI_STATUS]) : ExitStatus.killed(info[SI_STATUS], code == CLD_DUMPED);
        } catch (LastErrorException e) {
            // ECHILD: something else in this JVM reaped it (a wait on any child); its status is lost.
            status = ExitStatus.shellStyle(255);
        }
        reapedStatus = status;
        reaped = true;
        reaper.exits().reaped(this);
        return status;
    }

    private void closeReaperFd() {
        LibcDirect.closeQuietly(reaperFd);
        reaperFd = -1;
    }

    /**
     * Waits so that the kernel wakes this thread alone when the process ends, and it reaps the
     * process itself: one wake-up, as a blocking waitpid has, instead of the reaper's and then
     * this thread's. As the lead on the reaper's exit set when the process is adopted and no other
     * thread leads, else on a pidfd of its own. Returns once reaped; {@link #onExit()} completes at
     * once if this thread reaped it, or moments later if another did.
     */
    @Override
    public boolean awaitExit(long timeoutNanos) throws InterruptedException {
        boolean adopted;
        synchronized (this) {
            if (reaped) {
                return true;
            }
            adopted = reaperFd >= 0;
        }
        ExitEpoll exits = reaper.exits();
        if (adopted && exits.tryLead(this)) {
            try {
                return awaitAsLead(exits, timeoutNanos);
            } finally {
                exits.endLead();
            }
        }
        return awaitOnOwnPidfd(timeoutNanos);
    }

    /**
     * Waits on the reaper's exit set while the reaper sleeps, reaping every end it is given, until
     * this process's comes. A kick wakes it when someone else reaps the process, or on an interrupt.
     */
    private boolean awaitAsLead(ExitEpoll exits, long timeoutNanos) throws InterruptedException {
        int[] event = new int[LibcDirect.EVENT_INTS];
        long start = System.nanoTime();
        InterruptKick interrupts = new InterruptKick(exits);
        interrupts.enter();
        try {
            while (true) {
                if (reaped) {
                    return true;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                int millis = -1; // no timer armed: an interrupt kicks instead
                if (timeoutNanos != Long.MAX_VALUE) {
                    long left = timeoutNanos - (System.nanoTime() - start);
                    if (left <= 0) {
                        return false;
                    }
                    millis = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
                }
                long token = exits.awaitOne(event, millis);
                if (token == this.token) {
                    if (reapReportedEnd(true)) {
                        return true;
                    }
                } else if (token == ExitEpoll.KICK_TOKEN) {
                    exits.kickSeenByLead();
                } else if (token > 0) {
                    reaper.endSeenByLead(token);
                }
            }
        } finally {
            interrupts.leave();
        }
    }

    /**
     * A lead was given this process's end (its pidfd reports once): reaps it, by PID, and completes
     * {@link #onExit()} here or through the completions thread.
     *
     * @return false if it is not reapable yet: the reaper then has it reported again
     */
    private boolean reapReportedEnd(boolean completeHere) {
        ExitStatus status = null;
        synchronized (this) {
            if (!reaped) {
                // Not yet reaped, so the PID is still this process's: reaping it by PID is safe.
                status = reapLocked(P_PID, pid);
                if (status == null) {
                    reaper.rewatchLater(this);
                    return false;
                }
                closeStdinLocked();
            }
        }
        reaper.forget(this); // the reaper's pidfd for it, closed when the reaper next wakes
        if (status != null) {
            ExitStatus end = status;
            if (completeHere) {
                exit.complete(end);
            } else {
                reaper.complete(() -> exit.complete(end));
            }
        }
        return true;
    }

    /**
     * Waits in poll(2) on a pidfd of this thread's own: for a child not yet adopted, or while
     * another thread leads. The reaper is asked to step aside, so the kernel wakes this thread alone.
     */
    private boolean awaitOnOwnPidfd(long timeoutNanos) throws InterruptedException {
        int pidfd;
        synchronized (this) {
            if (reaped) {
                return true;
            }
            try {
                pidfd = (int) LibcDirect.syscall(LibcDirect.SYS_PIDFD_OPEN, pid, 0L, 0L, 0L);
            } catch (LastErrorException noDescriptorLeft) {
                pidfd = -1;
            }
            if (pidfd >= 0 && directWaiters++ == 0 && reaperFd >= 0 && !releasePending) {
                // Ask the reaper to stop watching, so that (unless the end comes first) it does not wake with this thread.
                releasePending = true;
                reaper.release(this);
            }
        }
        if (pidfd < 0) {
            return OsProcess.super.awaitExit(timeoutNanos);
        }
        int[] pollfd = new int[2];
        try {
            long start = System.nanoTime();
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long left = timeoutNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return reaped;
                }
                int slice = (int) Math.min(POLL_SLICE_MILLIS, left / 1_000_000 + 1);
                pollfd[0] = pidfd;
                pollfd[1] = POLLIN_EVENTS;
                int ready;
                try {
                    ready = LibcDirect.poll(pollfd, 1, slice);
                } catch (LastErrorException eintr) {
                    ready = 0;
                }
                if (ready > 0) {
                    if (reapDirectly(pidfd)) {
                        return true;
                    }
                    LockSupport.parkNanos(1_000_000); // readable yet not reapable: do not spin
                } else if (reaped) {
                    return true;
                }
            }
        } finally {
            LibcDirect.closeQuietly(pidfd);
            synchronized (this) {
                // Left without reaping (time up, interrupted) after the reaper stepped aside: give it back.
                // A release still queued is harmless: with no waiter left, the reaper ignores it.
                if (--directWaiters == 0 && !reaped && reaperFd < 0 && !adoptionPending) {
                    handToReaper();
                }
            }
        }
    }

    /**
     * One wait that consumes nothing tells a stop by a signal (job control) or an end; an end is
     * then reaped here. A stop by a debugger is not reported to a parent, so it reads as running.
     */
    @Override
    public Activity poll() {
        ExitStatus status;
        synchronized (this) {
            if (reaped) {
                // Perhaps by the reaper, its completion still queued behind others: the first
                // completion wins, so a poll never says "running" once the end has been seen.
                status = reapedStatus;
            } else {
                int[] info = new int[SIGINFO_INTS];
                try {
                    LibcDirect.waitid(P_PID, pid, info, WEXITED | WSTOPPED | WNOHANG | WNOWAIT);
                } catch (LastErrorException e) {
                    return Activity.RUNNING;
                }
                if (info[SI_PID] == 0) {
                    return Activity.RUNNING;
                }
                int code = info[SI_CODE];
                if (code != CLD_EXITED && code != CLD_KILLED && code != CLD_DUMPED) {
                    return Activity.STOPPED;
                }
                // Not yet reaped, so the PID is still this process's: reaping it by PID is safe.
                status = reapLocked(P_PID, pid);
                if (status == null) {
                    return Activity.RUNNING;
                }
                closeStdinLocked();
            }
        }
        exit.complete(status);
        return Activity.ENDED;
    }

    @Override
    public synchronized boolean signal(Signal signal) throws IOException {
        if (reaped) {
            return false;
        }
        try {
            // Under this lock, and not yet reaped: the PID is still this process's.
            LibcDirect.kill(pid, signal.number());
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH) {
                return false;
            }
            throw new IOException("cannot send " + signal.name() + " to " + pid + ": " + Errno.describe(e.getErrorCode()));
        }
    }

    @Override
    public synchronized boolean hasStdin() {
        return stdinFd >= 0;
    }

    @Override
    public int writeStdin(byte[] bytes, long stallNanos) throws IOException {
        int offset = 0;
        long progressAt = System.nanoTime();
        int[] pollfd = new int[2];
        while (offset < bytes.length) {
            byte[] rest = offset == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, offset, bytes.length);
            long written;
            int fd;
            synchronized (this) {
                fd = stdinFd;
                if (fd < 0) {
                    throw new IOException("stdin is closed");
                }
                try {
                    written = LibcDirect.write(fd, rest, rest.length); // the pipe end is non-blocking
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == EPIPE) {
                        throw new IOException("the job no longer reads its stdin (broken pipe)");
                    }
                    if (e.getErrorCode() != EAGAIN && e.getErrorCode() != Errno.EINTR) {
                        throw new IOException("cannot write to stdin: " + Errno.describe(e.getErrorCode()));
                    }
                    written = 0;
                }
            }
            if (written > 0) {
                offset += (int) written;
                progressAt = System.nanoTime();
                continue;
            }
            // The pipe is full: wait for room in short slices, so an interrupt (Ctrl-C) is seen soon.
            long left = stallNanos - (System.nanoTime() - progressAt);
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return offset;
            }
            pollfd[0] = fd; // if closed meanwhile, the write above finds out
            pollfd[1] = POLLOUT_EVENTS;
            try {
                LibcDirect.poll(pollfd, 1, (int) Math.min(POLL_SLICE_MILLIS, left / 1_000_000 + 1));
            } catch (LastErrorException eintr) {
                // Looked at again.
            }
        }
        return offset;
    }

    @Override
    public synchronized void closeStdin() {
        closeStdinLocked();
    }

    private void closeStdinLocked() {
        LibcDirect.closeQuietly(stdinFd);
        stdinFd = -1;
    }
}

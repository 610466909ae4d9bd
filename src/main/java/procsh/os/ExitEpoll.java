package procsh.os;

import static procsh.os.LibcDirect.EPOLLIN;
import static procsh.os.LibcDirect.EPOLLONESHOT;
import static procsh.os.LibcDirect.EPOLL_CTL_ADD;
import static procsh.os.LibcDirect.EPOLL_CTL_MOD;
import static procsh.os.LibcDirect.EVENT_DATA_OFFSET;
import static procsh.os.LibcDirect.O_CLOEXEC;
import static procsh.os.LibcDirect.O_NONBLOCK;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The epoll set that holds the pidfd of every child the {@link NativeReaper} has adopted, shared by
 * the reaper thread and one thread that waits for a job, the lead.
 *
 * <p>Why a waiter waits here rather than on a pidfd of its own: measured kill-then-wait, that
 * costs a pidfd_open and a close per wait, and the end also wakes the reaper, which holds a pidfd
 * for the same child; on 2 CPUs the two wake-ups compete (~10 us). Here each pidfd is registered
 * EPOLLONESHOT, so an end is reported to exactly one thread, and while a lead waits this set's
 * registration in the reaper's own epoll set (it is nested there) is disarmed, so the reaper
 * sleeps through ends. The lead reaps whatever end it is given: its own job's, or another's, which
 * it reports through the completions thread and goes on waiting. Only one thread leads at a time;
 * a second waiter waits on a pidfd of its own, as before.
 *
 * <p>Both descriptors are made before the reaper leaves the shared descriptor table, so they have
 * the same number in both tables: the lead (in the shared table) can wait on this set, whose
 * pidfds the reaper registered from its own table.
 *
 * <p>A job's end reaped by someone other than the lead (a poll, the reaper in a race, a second
 * waiter) would leave the lead asleep: {@link #reaped} then writes the kick eventfd, registered
 * here level-triggered, which only the lead ever blocks on. An interrupt of the lead writes it
 * too ({@link InterruptKick}), since the lead blocks with no timeout.
 */
final class ExitEpoll {

    /** The kick eventfd's token in this set; processes' tokens are larger. */
    static final long KICK_TOKEN = 0;

    private final int fd;
    private final int kickFd;
    private final int outerFd;
    private final Memory armed;
    private final Memory disarmed;
    // Under this object's lock.
    private NativeProcess leadProcess;
    private Thread leadThread;
    private boolean kickPending;

    /**
     * Makes the set and registers it in the reaper's {@code outerFd} under {@code outerToken};
     * on the reaper thread, before it leaves the shared table.
     */
    ExitEpoll(int outerFd, long outerToken) {
        this.outerFd = outerFd;
        this.fd = LibcDirect.epoll_create1(O_CLOEXEC);
        this.kickFd = LibcDirect.eventfd(0, O_CLOEXEC | O_NONBLOCK);
        armed = event(EPOLLIN, outerToken);
        disarmed = event(0, outerToken);
        LibcDirect.epoll_ctl(fd, EPOLL_CTL_ADD, kickFd, event(EPOLLIN, KICK_TOKEN));
        LibcDirect.epoll_ctl(outerFd, EPOLL_CTL_ADD, fd, armed);
    }

    private static Memory event(int events, long token) {
        Memory event = new Memory(16);
        event.clear();
        event.setInt(0, events);
        event.setLong(EVENT_DATA_OFFSET, token);
        return event;
    }

    /** On the reaper thread: watches a pidfd of its table; its end is reported once, to the reaper or the lead. */
    void watch(int pidfd, long token, Memory event) {
        event.setInt(0, EPOLLIN | EPOLLONESHOT);
        event.setLong(EVENT_DATA_OFFSET, token);
        LibcDirect.epoll_ctl(fd, EPOLL_CTL_ADD, pidfd, event);
    }

    /** On the reaper thread: reports a pidfd already reported once again (its child was not yet reapable). */
    void rewatch(int pidfd, long token, Memory event) {
        event.setInt(0, EPOLLIN | EPOLLONESHOT);
        event.setLong(EVENT_DATA_OFFSET, token);
        LibcDirect.epoll_ctl(fd, EPOLL_CTL_MOD, pidfd, event);
    }

    /** On the reaper thread, told this set is ready: takes up to {@code max} ends without waiting. */
    int take(Pointer events, int max) {
        try {
            return LibcDirect.epoll_wait(fd, events, max, 0);
        } catch (LastErrorException interrupted) {
            return 0;
        }
    }

    /**
     * Makes the calling thread the lead, waiting for {@code process}, unless another thread is.
     * The reaper stops waking for ends until {@link #endLead}.
     */
    synchronized boolean tryLead(NativeProcess process) {
        if (leadProcess != null) {
            return false;
        }
        try {
            LibcDirect.epoll_ctl(outerFd, EPOLL_CTL_MOD, fd, disarmed);
        } catch (LastErrorException e) {
            return false;
        }
        leadProcess = process;
        leadThread = Thread.currentThread();
        return true;
    }

    synchronized NativeProcess leadForTests() {
        return leadProcess;
    }

    /**
     * The lead waits up to {@code millis} for one end (or a kick).
     *
     * @return the token of the process whose end it was given, {@link #KICK_TOKEN} for a kick, -1 for none
     */
    long awaitOne(int[] event, int millis) {
        int ready;
        try {
            ready = LibcDirect.epoll_wait(fd, event, 1, millis);
        } catch (LastErrorException interrupted) {
            return -1;
        }
        return ready == 1 ? LibcDirect.eventData(event) : -1;
    }

    /** The lead is done: ends wake the reaper again, at once for any that came meanwhile. */
    synchronized void endLead() {
        leadProcess = null;
        leadThread = null;
        drainKick();
        try {
            LibcDirect.epoll_ctl(outerFd, EPOLL_CTL_MOD, fd, armed);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot hand the exit set back to the reaper: " + Errno.describe(e.getErrorCode()), e);
        }
    }

    /** Called by whichever thread reaped {@code process}, under its lock: wakes the lead waiting for it, if that is another thread. */
    synchronized void reaped(NativeProcess process) {
        if (leadProcess == process && leadThread != Thread.currentThread()) {
            kickLead();
        }
    }

    /** Wakes the lead, if there is one, to look again at its process and its interrupt flag. */
    synchronized void kickLead() {
        if (leadProcess != null && !kickPending) {
            kickPending = LibcDirect.bumpCounter(kickFd);
        }
    }

    /** The lead, handed the kick: reads it, so that its next wait blocks again. */
    synchronized void kickSeenByLead() {
        drainKick();
    }

    /** On the reaper thread, handed the kick: a kick written just as its lead left, so nobody else reads it. */
    synchronized void kickSeenByReaper() {
        if (leadProcess == null) {
            drainKick();
        }
    }

    private void drainKick() {
        if (kickPending) {
            LibcDirect.drainCounter(kickFd);
            kickPending = false;
        }
    }
}

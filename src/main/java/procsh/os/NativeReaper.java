package procsh.os;

import static procsh.os.LibcDirect.EPOLLIN;
import static procsh.os.LibcDirect.EPOLL_CTL_ADD;
import static procsh.os.LibcDirect.EVENT_DATA_OFFSET;
import static procsh.os.LibcDirect.EVENT_SIZE;
import static procsh.os.LibcDirect.O_CLOEXEC;
import static procsh.os.LibcDirect.O_NONBLOCK;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread, "procsh-reaper", that holds a pidfd for every live child, waits on all of them at
 * once (epoll) and reaps each as it ends.
 *
 * <p>The pidfds live in a descriptor table of this thread's own (unshare(CLONE_FILES)), not in the
 * one the rest of the JVM shares. Every spawn copies the spawning thread's table into the child,
 * and exec closes the copies one by one: a bare posix_spawn measured 0.50 ms with no extra
 * descriptors and 0.93 ms with 5,000. Kept here, the pidfds cost a spawn nothing. Because a
 * descriptor opened on this thread exists for no other, only procsh's own loop runs here: ends are
 * reported through {@link #completions}, a thread started from the shared table, never from here,
 * and this thread starts no thread (a thread shares the table of the thread that creates it).
 *
 * <p>The pidfds are in an epoll set of their own ({@link ExitEpoll}), nested in this thread's. One
 * thread that waits for a job ({@link NativeProcess#awaitExit}) waits on that set itself and reaps
 * the ends it is given, while this thread sleeps; a second waiter, or one whose child is not yet
 * adopted, opens a pidfd of its own and reaps the process when the kernel wakes it, and this thread
 * steps aside.
 *
 * <p>New children are adopted in batches at a timer (a timerfd in the epoll set) a little after
 * their spawn, not at once, and a child some thread already waits for itself is not adopted at
 * all. Measured on a 2-CPU VM: an eventfd write that wakes this thread cost the spawning thread
 * 7-13 us; a timer firing every 2 ms cost a start-and-reap loop (Python's {@code run}) ~12 us a
 * spawn, and arming and disarming a timer at each spawn as much (each reprograms the CPU's timer,
 * a VM exit); at 20 ms the loop runs as fast as with no adoption at all. So the delay adapts: 2 ms
 * ({@link #SHORT_DELAY_NANOS}) while batches find children to adopt, and 20 ms
 * ({@link #LONG_DELAY_NANOS}) once a batch finds every child already waited for. An end is seen
 * when its child is adopted, so the end of a job nobody waits for is seen up to 2 ms late (20 ms
 * right after a start-and-reap loop), unless something asks for it sooner ({@link #adoptNow()}:
 * a wait for any of several jobs, a stop). A fan-out of thousands is adopted in a few hundred
 * batches instead of one wake-up per child.
 */
final class NativeReaper {

    private static final int MAX_EVENTS = 64;
    private static final int EEXIST = 17;
    /** The token of the eventfd that wakes the thread for releases and at shutdown. */
    private static final long WAKE_TOKEN = 0;
    /** The token of the timerfd that fires when new children are due for adoption. */
    private static final long ADOPT_TOKEN = 1;
    /** The token of the {@link ExitEpoll} set, ready when a child has ended. */
    private static final long EXITS_TOKEN = 2;
    static final long SHORT_DELAY_NANOS = 2_000_000;
    static final long LONG_DELAY_NANOS = 20_000_000;

    private final int wakeFd;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final int adoptTimerFd;
    /** Two struct itimerspec that arm the timer once, 2 or 20 ms from now; only read once made. */
    private final Memory shortDelay = timerSetting(SHORT_DELAY_NANOS);
    private final Memory longDelay = timerSetting(LONG_DELAY_NANOS);
    /** The one the next arming uses: chosen by the reaper thread after each batch. */
    private volatile Memory adoptTimerSetting = shortDelay;
    private final AtomicBoolean adoptTimerArmed = new AtomicBoolean();
    private final ConcurrentLinkedQueue<NativeProcess> adoptions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<NativeProcess> releases = new ConcurrentLinkedQueue<>();
    /** Children a lead reaped: their pidfds are closed here, when the thread next wakes anyway. */
    private final ConcurrentLinkedQueue<NativeProcess> forgets = new ConcurrentLinkedQueue<>();
    /** Children a lead was told of but could not yet reap: to be reported again. */
    private final ConcurrentLinkedQueue<NativeProcess> rewatches = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();
    private final AtomicLong tokens = new AtomicLong(EXITS_TOKEN + 1);
    /** Whether this thread got a table of its own; if not it still works, only without the saving. */
    private final CompletableFuture<Boolean> privateTable = new CompletableFuture<>();
    private volatile boolean shuttingDown;
    /** Set by the reaper thread after an error: its next turn looks at every queue without waiting. */
    private boolean retryNow;
    // Made by the reaper thread before it leaves the shared table, so in both tables.
    private int epollFd = -1;
    private volatile ExitEpoll exits;
    /** Every adopted child by its token: written by the reaper thread, read by a lead too. */
    private final Map<Long, NativeProcess> watched = new ConcurrentHashMap<>();
    private final List<NativeProcess> stranded = new ArrayList<>();
    /** Run before each reap on this thread; a test makes it throw, to see the thread survive. */
    volatile Runnable beforeReapForTests = () -> { };

    NativeReaper() {
        this.wakeFd = LibcDirect.eventfd(0, O_CLOEXEC | O_NONBLOCK);
        this.adoptTimerFd = LibcDirect.timerfd_create(LibcDirect.CLOCK_MONOTONIC, O_CLOEXEC | O_NONBLOCK);
        Thread exits = new Thread(this::completionLoop, "procsh-exits");
        exits.setDaemon(true);
        exits.start();
        Thread reaper = new Thread(this::reapLoop, "procsh-reaper");
        reaper.setDaemon(true);
        reaper.start();
        privateTable.join();
        // HotSpot's exit waits up to 300 ms for threads that are in native code, and a reaper
        // blocked in epoll_wait is one: at shutdown it polls from Java instead, so exit is prompt.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown = true;
            wake();
        }, "procsh-reaper-wake"));
    }

    private static Memory timerSetting(long nanos) {
        Memory setting = new Memory(32);
        setting.clear(32); // no interval: it fires once each time it is armed
        setting.setLong(24, nanos); // it_value.tv_nsec (below one second)
        return setting;
    }

    long newToken() {
        return tokens.getAndIncrement();
    }

    /** Whether the pidfds are kept out of the table spawns copy. */
    boolean hasPrivateTable() {
        return privateTable.join();
    }

    /**
     * Hands a child to the reaper thread, which opens its pidfd and watches it from at most
     * 2 or 20 ms later, unless a thread waits for it itself by then. Does not wait.
     */
    void adopt(NativeProcess process) {
        adoptions.add(process);
        // Added first, then armed: whoever finds the timer armed knows that its firing drains the queue after this add.
        if (adoptTimerArmed.compareAndSet(false, true)) {
            try {
                LibcDirect.timerfd_settime(adoptTimerFd, 0, adoptTimerSetting, null);
            } catch (LastErrorException e) {
                adoptTimerArmed.set(false);
                wake(); // adopted at once instead
            }
        }
    }

    /** Adopts every child handed over so far at once, not at the timer: its end is about to be waited for. */
    void adoptNow() {
        wake();
    }

    /**
     * Asks the reaper thread to stop watching a process that a thread now waits on itself, when
     * it next wakes: not at once, since waking it costs the waiter more (3 us in a kill-then-wait,
     * measured) than the reaper's wake-up at the end, which it then spends only on closing its pidfd.
     */
    void release(NativeProcess process) {
        releases.add(process);
    }

    /** The set of adopted children's pidfds, for a thread that waits for one of them. */
    ExitEpoll exits() {
        return exits;
    }

    /** A lead was given the end of the child with this token, not the one it waits for: it reaps it. */
    void endSeenByLead(long token) {
        NativeProcess process = watched.get(token);
        if (process != null) {
            process.reapForLead();
        }
    }

    /** A lead reaped this child: the reaper closes its pidfd when it next wakes. */
    void forget(NativeProcess process) {
        forgets.add(process);
    }

    /** A lead was told of this child's end, but it could not be reaped yet: the reaper reports it again. */
    void rewatchLater(NativeProcess process) {
        rewatches.add(process);
        wake();
    }

    /** Runs on the completions thread: how a reaped process's end reaches everything that waits for it. */
    void complete(Runnable completion) {
        completions.add(completion);
    }

    private void wake() {
        if (wakePending.compareAndSet(false, true) && !LibcDirect.bumpCounter(wakeFd)) {
            wakePending.set(false);
        }
    }

    private void completionLoop() {
        while (true) {
            try {
                completions.take().run();
            } catch (InterruptedException e) {
                // nobody interrupts this thread on purpose
            } catch (RuntimeException | Error e) {
                // A completion that throws must not take every later one with it.
            }
        }
    }

    private void reapLoop() {
        boolean own;
        try {
            // Before unshare, so that a waiting thread of the shared table can use them too.
            epollFd = LibcDirect.epoll_create1(O_CLOEXEC);
            exits = new ExitEpoll(epollFd, EXITS_TOKEN);
        } catch (RuntimeException | Error e) {
            privateTable.completeExceptionally(e); // the backend then reports itself unusable
            return;
        }
        try {
            LibcDirect.unshare(LibcDirect.CLONE_FILES);
            own = true;
        } catch (LastErrorException | LinkageError e) {
            own = false;
        }
        Memory events = new Memory((long) EVENT_SIZE * MAX_EVENTS);
        Memory scratch = new Memory(16);
        try {
            register(wakeFd, WAKE_TOKEN, scratch);
            register(adoptTimerFd, ADOPT_TOKEN, scratch);
        } catch (RuntimeException | Error e) {
            privateTable.completeExceptionally(e); // the backend then reports itself unusable
            return;
        }
        privateTable.complete(own);
        while (true) {
            try {
                loopOnce(events, scratch);
            } catch (Throwable e) {
                // Whatever fails (an OutOfMemoryError included), this thread alone sees every end:
                // it goes on, and what it held is in stranded or the queues, tried again.
                // A flag left set would stop the timer or the wake-ups for good: cleared, and the
                // queues looked at again at once.
                adoptTimerArmed.set(false);
                wakePending.set(false);
                retryNow = true;
                LockSupport.parkNanos(1_000_000); // an error that repeats does not spin a CPU
            }
        }
    }

    /** One wait on the epoll set and what it reports. */
    private void loopOnce(Memory events, Memory scratch) {
        int ready;
        int timeout = shuttingDown || retryNow ? 0 : stranded.isEmpty() ? -1 : 100;
        retryNow = false;
        try {
            ready = LibcDirect.epoll_wait(epollFd, events, MAX_EVENTS, timeout);
        } catch (LastErrorException interrupted) {
            return; // EINTR: a signal arrived for the JVM; nothing to do.
        }
        if (ready == 0) {
            adoptAll(scratch);
            releaseAll(scratch);
            if (shuttingDown) {
                // Jobs still end during shutdown (the session's stop): keep reaping, from Java.
                LockSupport.parkNanos(2_000_000);
            }
            return;
        }
        boolean woken = false;
        boolean adoptionsDue = false;
        boolean ended = false;
        for (int i = 0; i < ready; i++) {
            long token = events.getLong((long) i * EVENT_SIZE + EVENT_DATA_OFFSET);
            woken |= token == WAKE_TOKEN;
            adoptionsDue |= token == ADOPT_TOKEN;
            ended |= token == EXITS_TOKEN;
        }
        if (ended) {
            reapEnded(events, scratch);
        }
        if (adoptionsDue) {
            LibcDirect.drainCounter(adoptTimerFd);
            adoptTimerArmed.set(false);
        }
        if (woken) {
            drainWake();
        }
        if (woken || adoptionsDue) {
            adoptAll(scratch);
        }
        releaseAll(scratch);
    }

    /** Takes the ends the exit set holds (each is reported once: to this thread or to a lead) and reaps them. */
    private void reapEnded(Memory events, Memory scratch) {
        int ready = exits.take(events, MAX_EVENTS);
        for (int i = 0; i < ready; i++) {
            long token = events.getLong((long) i * EVENT_SIZE + EVENT_DATA_OFFSET);
            if (token == ExitEpoll.KICK_TOKEN) {
                exits.kickSeenByReaper();
                continue;
            }
            NativeProcess process = watched.get(token);
            if (process == null) {
                continue;
            }
            try {
                beforeReapForTests.run();
                if (process.reapFromReaper()) {
                    watched.remove(token);
                } else {
                    rewatch(process, scratch); // readable but not yet reapable: keep watching
                }
            } catch (Throwable e) {
                // Its end was reported once and taken: kept here, or it would never be reaped.
                watched.remove(token);
                stranded.add(process); // tried again within 100 ms
            }
        }
    }

    private void rewatch(NativeProcess process, Memory scratch) {
        try {
            exits.rewatch(process.reaperFd(), process.token(), scratch);
        } catch (LastErrorException e) {
            watched.remove(process.token());
            stranded.add(process);
        }
    }

    /**
     * Read first, then clear the flag, then (the caller) drain the queues: a wake-up written after
     * the read is either skipped because the flag was still set, and its work is in the queues
     * drained next, or it stays in the eventfd for the next epoll_wait. Cleared before the read,
     * the read could swallow a write whose flag stays set, and no wake-up would ever be written again.
     */
    private void drainWake() {
        LibcDirect.drainCounter(wakeFd);
        wakePending.set(false);
    }

    /** Opens a pidfd for each new child, here; one that cannot be opened (no descriptor left) is tried again later. */
    private void adoptAll(Memory scratch) {
        adoptions.addAll(stranded);
        stranded.clear();
        int adopted = 0;
        int waitedFor = 0;
        NativeProcess process;
        while ((process = adoptions.poll()) != null) {
            try {
                if (process.openReaperFd()) {
                    watch(process, scratch);
                    adopted++;
                } else {
                    waitedFor++;
                }
            } catch (Throwable e) {
                stranded.add(process); // taken off the queue: kept, or it would never be watched
            }
        }
        if (adopted > 0) {
            adoptTimerSetting = shortDelay;
        } else if (waitedFor > 0) {
            adoptTimerSetting = longDelay; // a start-and-reap loop: let it run without wake-ups
        }
    }

    private void releaseAll(Memory scratch) {
        NativeProcess process;
        while ((process = forgets.poll()) != null) {
            watched.remove(process.token());
            process.closeReaperFdAfterReap();
        }
        while ((process = rewatches.poll()) != null) {
            try {
                rewatch(process, scratch);
            } catch (Throwable e) {
                stranded.add(process); // its end would be lost with it
            }
        }
        while ((process = releases.poll()) != null) {
            int fd = process.releaseReaperFd();
            if (fd >= 0) {
                watched.remove(process.token());
                LibcDirect.closeQuietly(fd); // which takes it out of the exit set
            }
        }
    }

    private void watch(NativeProcess process, Memory event) {
        watched.put(process.token(), process);
        try {
            exits.watch(process.reaperFd(), process.token(), event);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EEXIST) {
                watched.remove(process.token());
                throw e;
            }
            exits.rewatch(process.reaperFd(), process.token(), event); // registered before: armed again
        }
    }

    private void register(int fd, long token, Memory event) {
        event.setInt(0, EPOLLIN);
        event.setLong(EVENT_DATA_OFFSET, token);
        LibcDirect.epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, event);
    }
}

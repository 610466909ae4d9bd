package procsh.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts processes through glibc's posix_spawn, each as the leader of a new session, and watches
 * them through pidfds: one thread waits on all of them (epoll) and reaps each with
 * {@code waitid(P_PIDFD)}, so the real wait status is read and a signal death is told apart from
 * an exit code. Signals go through {@code pidfd_send_signal}, which can never reach a process that
 * reused the PID. Linux 5.4+ and glibc 2.34+ only; {@link #probe()} says whether this machine has them.
 */
public final class NativeBackend implements Backend {

    // glibc's flag values.
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int O_WRONLY = 1;
    private static final int O_RDONLY = 0;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    private static final int P_PIDFD = 3;
    private static final int WEXITED = 4;
    private static final int CLD_EXITED = 1;
    private static final int CLD_DUMPED = 3;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLLIN = 1;
    private static final int EAGAIN = 11;
    private static final int EPIPE = 32;
    // struct epoll_event is packed (12 bytes) on x86-64 only.
    private static final int EVENT_SIZE = Platform.isIntel() && Platform.is64Bit() ? 12 : 16;
    private static final int EVENT_DATA_OFFSET = EVENT_SIZE == 12 ? 4 : 8;
    private static final int MAX_EVENTS = 64;
    // A spawn's scratch block: posix_spawn_file_actions_t (80 bytes in glibc) at 0, the PID, the epoll event.
    private static final int PID_OFFSET = 512;
    private static final int EVENT_OFFSET = 520;
    private static final int SCRATCH_SIZE = EVENT_OFFSET + 16;

    private static final class Shared {
        static final NativeBackend INSTANCE = new NativeBackend();
    }

    private final Libc libc = Libc.get();
    private final Map<Integer, NativeProcess> byPidfd = new ConcurrentHashMap<>();
    private final int epollFd;
    /** Written to when the JVM begins to shut down, to bring the reaper out of epoll_wait. */
    private final int wakeFd;
    private volatile boolean shuttingDown;
    private final Memory spawnAttr;
    private final Pointer devNull = constantString("/dev/null");

    private NativeBackend() {
        this.epollFd = libc.epoll_create1(O_CLOEXEC);
        this.wakeFd = libc.eventfd(0, O_CLOEXEC | O_NONBLOCK);
        this.spawnAttr = spawnAttributes();
        Memory event = new Memory(EVENT_SIZE);
        event.clear();
        event.setInt(0, EPOLLIN);
        event.setInt(EVENT_DATA_OFFSET, wakeFd);
        Direct.epoll_ctl(epollFd, EPOLL_CTL_ADD, wakeFd, event);
        Thread reaper = new Thread(this::reapLoop, "procsh-reaper");
        reaper.setDaemon(true);
        reaper.start();
        // HotSpot's exit waits up to 300 ms for threads that are in native code, and a reaper
        // blocked in epoll_wait is one: at shutdown it polls from Java instead, so exit is prompt.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown = true;
            libc.write(wakeFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8);
        }, "procsh-reaper-wake"));
    }

    private static Pointer constantString(String s) {
        Memory m = new Memory(s.length() + 1L);
        m.setString(0, s, "US-ASCII");
        return m;
    }

    /** The one instance: one reaper thread serves the whole JVM. Throws if this OS cannot run it. */
    public static NativeBackend get() {
        return Shared.INSTANCE;
    }

    /** Null when this machine can run the native backend, else the reason it cannot. */
    public static String probe() {
        if (!Platform.isLinux()) {
            return "not Linux";
        }
        try {
            Libc libc = Libc.get();
            int fd = (int) libc.syscall(SYS_PIDFD_OPEN, (long) libc.getpid(), 0L);
            libc.close(fd);
            // Resolving the symbols now turns an old glibc into a clean "no" instead of a failure mid-spawn.
            com.sun.jna.NativeLibrary c = com.sun.jna.NativeLibrary.getInstance(Libc.NAME);
            c.getFunction("posix_spawn_file_actions_addclosefrom_np");
            c.getFunction("posix_spawn_file_actions_addchdir_np");
            get();
            return null;
        } catch (LastErrorException e) {
            return "pidfd_open failed: " + Errno.describe(e.getErrorCode());
        } catch (RuntimeException | LinkageError e) {
            return e.getMessage();
        }
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public boolean exactExitStatus() {
        return true;
    }

    @Override
    public boolean ownSession() {
        return true;
    }

    @Override
    public OsProcess start(SpawnPlan plan) throws SpawnException {
        // One block for the file actions, the PID and the epoll event, one for every string: both
        // freed before returning, not left to the garbage collector.
        Memory scratch = new Memory(SCRATCH_SIZE);
        Pointer actions = scratch;
        Pointer pid = scratch.share(PID_OFFSET, 8);
        NativeStrings strings = new NativeStrings(
                List.of(plan.executable().toString(), plan.stdout().toString(), plan.stderr().toString(), plan.cwd().toString()),
                plan.argv(), plan.envList());
        int[] stdinPipe = {-1, -1};
        Direct.posix_spawn_file_actions_init(actions);
        try {
            if (plan.stdinPipe()) {
                libc.pipe2(stdinPipe, O_CLOEXEC);
                Direct.posix_spawn_file_actions_adddup2(actions, stdinPipe[0], 0);
            } else {
                Direct.posix_spawn_file_actions_addopen(actions, 0, devNull, O_RDONLY, 0);
            }
            int out = O_WRONLY | O_CREAT | O_APPEND;
            Direct.posix_spawn_file_actions_addopen(actions, 1, strings.string(1), out, 0600);
            Direct.posix_spawn_file_actions_addopen(actions, 2, strings.string(2), out, 0600);
            Direct.posix_spawn_file_actions_addchdir_np(actions, strings.string(3));
            Direct.posix_spawn_file_actions_addclosefrom_np(actions, 3);

            int error = Direct.posix_spawn(pid, strings.string(0), actions, spawnAttr, strings.array(0), strings.array(1));
            if (error != 0) {
                throw new SpawnException("cannot start " + plan.argv().get(0) + ": " + Errno.describe(error));
            }
            int childPid = pid.getInt(0);
            int pidfd = (int) Direct.syscall(SYS_PIDFD_OPEN, childPid, 0L, 0L, 0L);
            int stdinFd = -1;
            if (plan.stdinPipe()) {
                closeQuietly(stdinPipe[0]);
                stdinPipe[0] = -1;
                stdinFd = stdinPipe[1];
                setNonBlocking(stdinFd);
                stdinPipe[1] = -1;
            }
            NativeProcess process = new NativeProcess(childPid, pidfd, stdinFd);
            watch(process, scratch.share(EVENT_OFFSET, EVENT_SIZE));
            return process;
        } catch (LastErrorException e) {
            throw new SpawnException("cannot start " + plan.argv().get(0) + ": " + Errno.describe(e.getErrorCode()), e);
        } finally {
            closeQuietly(stdinPipe[0]);
            closeQuietly(stdinPipe[1]);
            Direct.posix_spawn_file_actions_destroy(actions);
            strings.close();
            scratch.close();
        }
    }

    /**
     * The spawn attributes, the same for every job, so made once: a new session (so Ctrl-C at
     * procsh never reaches the job), no blocked signals, and every signal at its default (the JVM
     * ignores some; ignored dispositions survive exec). posix_spawn only reads them, so concurrent
     * spawns can share them.
     */
    private Memory spawnAttributes() {
        Memory attr = new Memory(1024);
        Memory sigset = new Memory(256);
        libc.posix_spawnattr_init(attr);
        libc.posix_spawnattr_setflags(attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
        libc.sigemptyset(sigset);
        libc.posix_spawnattr_setsigmask(attr, sigset);
        libc.sigfillset(sigset);
        libc.posix_spawnattr_setsigdefault(attr, sigset);
        sigset.close();
        return attr;
    }

    private void setNonBlocking(int fd) {
        // F_SETFL = 4; the only flag on a fresh pipe end is O_NONBLOCK's absence.
        NativeFcntl.INSTANCE.fcntl(fd, 4, O_NONBLOCK);
    }

    /** fcntl is variadic; a separate binding keeps Libc's signatures simple. */
    interface NativeFcntl extends com.sun.jna.Library {
        NativeFcntl INSTANCE = Native.load(Libc.NAME, NativeFcntl.class);

        int fcntl(int fd, int cmd, int arg) throws LastErrorException;
    }

    private void watch(NativeProcess process, Pointer event) {
        event.clear(EVENT_SIZE);
        event.setInt(0, EPOLLIN);
        event.setInt(EVENT_DATA_OFFSET, process.pidfd);
        byPidfd.put(process.pidfd, process);
        Direct.epoll_ctl(epollFd, EPOLL_CTL_ADD, process.pidfd, event);
    }

    private void reapLoop() {
        Memory events = new Memory((long) EVENT_SIZE * MAX_EVENTS);
        // waitid's siginfo_t (128 bytes): only this thread reaps, so one buffer serves every reap.
        Memory info = new Memory(128);
        while (true) {
            int ready;
            try {
                ready = Direct.epoll_wait(epollFd, events, MAX_EVENTS, shuttingDown ? 0 : -1);
            } catch (LastErrorException interrupted) {
                continue; // EINTR: a signal arrived for the JVM; nothing to do.
            }
            if (ready == 0 && shuttingDown) {
                // Jobs still end during shutdown (the session's stop): keep reaping, from Java.
                LockSupport.parkNanos(2_000_000);
                continue;
            }
            for (int i = 0; i < ready; i++) {
                int pidfd = events.getInt((long) i * EVENT_SIZE + EVENT_DATA_OFFSET);
                if (pidfd == wakeFd) {
                    continue;
                }
                NativeProcess process = byPidfd.remove(pidfd);
                if (process != null) {
                    try {
                        Direct.epoll_ctl(epollFd, EPOLL_CTL_DEL, pidfd, null);
                    } catch (LastErrorException ignored) {
                        // Closing the pidfd below removes it from the epoll set anyway.
                    }
                    process.reap(info);
                }
            }
        }
    }

    private void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                Direct.close(fd);
            } catch (LastErrorException ignored) {
                // Nothing useful to do about a failed close of a descriptor we are dropping.
            }
        }
    }

    /**
     * The calls made for every spawn, reap and signal, bound by JNA's direct mapping: an interface
     * call goes through a proxy and boxes its arguments, ~1-2 us each under C1, a dozen per job.
     * Linked when the backend is first made, so {@link #probe()} reports a missing symbol.
     */
    private static final class Direct {
        static {
            Native.register(Direct.class, com.sun.jna.NativeLibrary.getInstance(Libc.NAME));
        }

        private Direct() {
        }

        static native int posix_spawn(Pointer pid, Pointer path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);

        static native int posix_spawn_file_actions_init(Pointer fileActions);

        static native int posix_spawn_file_actions_destroy(Pointer fileActions);

        static native int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, Pointer path, int oflag, int mode);

        static native int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

        static native int posix_spawn_file_actions_addchdir_np(Pointer fileActions, Pointer path);

        static native int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

        /** syscall(2) with four integer arguments (unused ones 0): pidfd_open, pidfd_send_signal. */
        static native long syscall(long number, long a, long b, long c, long d) throws LastErrorException;

        static native int waitid(int idtype, int id, Pointer info, int options) throws LastErrorException;

        static native int epoll_ctl(int epfd, int op, int fd, Pointer event) throws LastErrorException;

        static native int epoll_wait(int epfd, Pointer events, int maxEvents, int timeout) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }

    private final class NativeProcess implements OsProcess {
        private final int pid;
        private final int pidfd;
        private int stdinFd;
        private boolean reaped;
        private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

        NativeProcess(int pid, int pidfd, int stdinFd) {
            this.pid = pid;
            this.pidfd = pidfd;
            this.stdinFd = stdinFd;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return exit;
        }

        void reap(Memory info) {
            ExitStatus status;
            synchronized (this) {
                info.clear();
                try {
                    Direct.waitid(P_PIDFD, pidfd, info, WEXITED);
                    int code = info.getInt(8);
                    int value = info.getInt(24);
                    status = code == CLD_EXITED ? ExitStatus.exited(value) : ExitStatus.killed(value, code == CLD_DUMPED);
                } catch (LastErrorException e) {
                    status = ExitStatus.shellStyle(255);
                }
                reaped = true;
                closeQuietly(pidfd);
                closeQuietly(stdinFd);
                stdinFd = -1;
            }
            exit.complete(status);
        }

        @Override
        public synchronized boolean signal(Signal signal) throws IOException {
            if (reaped) {
                return false;
            }
            try {
                Direct.syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signal.number(), 0L, 0L);
                return true;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.ESRCH) {
                    return false; // exited, not yet reaped: nothing left to signal
                }
                throw new IOException("cannot send " + signal.name() + " to " + pid + ": " + Errno.describe(e.getErrorCode()));
            }
        }

        @Override
        public synchronized boolean hasStdin() {
            return stdinFd >= 0;
        }

        @Override
        public void writeStdin(byte[] bytes) throws IOException {
            int offset = 0;
            while (offset < bytes.length) {
                byte[] rest = offset == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, offset, bytes.length);
                long written;
                synchronized (this) {
                    if (stdinFd < 0) {
                        throw new IOException("stdin is closed");
                    }
                    try {
                        written = libc.write(stdinFd, rest, rest.length);
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
                offset += (int) written;
                if (written == 0) {
                    // The pipe is full: the job is not reading. Wait a little, interruptibly.
                    LockSupport.parkNanos(5_000_000);
                    if (Thread.interrupted()) {
                        throw new InterruptedIOException("interrupted while the job's stdin was full");
                    }
                }
            }
        }

        @Override
        public synchronized void closeStdin() {
            closeQuietly(stdinFd);
            stdinFd = -1;
        }
    }
}

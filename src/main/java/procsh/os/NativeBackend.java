package procsh.os;

import static procsh.os.LibcDirect.O_APPEND;
import static procsh.os.LibcDirect.O_CLOEXEC;
import static procsh.os.LibcDirect.O_CREAT;
import static procsh.os.LibcDirect.O_NONBLOCK;
import static procsh.os.LibcDirect.O_RDONLY;
import static procsh.os.LibcDirect.O_WRONLY;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts processes through glibc's posix_spawn, each as the leader of a new session, and watches
 * them through pidfds: one thread waits on all of them (epoll, {@link NativeReaper}) and reaps each
 * with {@code waitid(P_PIDFD)}, so the real wait status is read and a signal death is told apart
 * from an exit code. A thread waiting for one job polls a pidfd of its own and reaps it itself.
 * Signals and reaps are made under one lock per process, so a signal never reaches a process that
 * reused the PID. Linux 5.4+ and glibc 2.34+ only; {@link #probe()} says whether this machine has them.
 */
public final class NativeBackend implements Backend {

    // A spawn's scratch block: posix_spawn_file_actions_t (80 bytes in glibc) at 0, then the PID.
    private static final int PID_OFFSET = 512;
    private static final int EEXIST = 17;
    private static final int SCRATCH_SIZE = PID_OFFSET + 8;

    private static final class Shared {
        static final NativeBackend INSTANCE = new NativeBackend();
    }

    private final Libc libc = Libc.get();
    private final Memory spawnAttr = spawnAttributes();
    // Made after the first JNA Memory, so that JNA's cleaner thread is never started from the reaper's table.
    private final NativeReaper reaper = new NativeReaper();
    private final Pointer devNull = constantString("/dev/null");

    private NativeBackend() {
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

    NativeReaper reaperForTests() {
        return reaper;
    }

    /** Null when this machine can run the native backend, else the reason it cannot. */
    public static String probe() {
        if (!Platform.isLinux()) {
            return "not Linux";
        }
        try {
            Libc libc = Libc.get();
            int fd = (int) libc.syscall(LibcDirect.SYS_PIDFD_OPEN, (long) libc.getpid(), 0L);
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

    /** Whether the pidfds are held in the reaper thread's own descriptor table, which spawns do not copy. */
    public boolean pidfdsKeptApart() {
        return reaper.hasPrivateTable();
    }

    @Override
    public boolean terminals() {
        return true;
    }

    @Override
    public OsProcess start(SpawnPlan plan) throws SpawnException {
        // One block for the file actions and the PID, one for every string: both
        // freed before returning, not left to the garbage collector.
        Memory scratch = new Memory(SCRATCH_SIZE);
        NativeStrings strings = new NativeStrings(
                List.of(plan.executable().toString(), plan.reach(plan.stdout()), plan.reach(plan.stderr()), plan.cwd().toString(),
                        plan.terminal() == null ? "" : plan.terminal()),
                NativeStrings.encode(plan.argv()), plan.environment().encoded());
        int[] stdinPipe = {-1, -1};
        try {
            if (plan.stdinPipe() && plan.terminal() == null) {
                libc.pipe2(stdinPipe, O_CLOEXEC);
            }
            int error = spawn(scratch, strings, stdinPipe[0], plan.outputs() != null, plan.appendOutputs(), plan.terminal() != null);
            if (error != 0) {
                throw new SpawnException(failure(plan, error));
            }
            int childPid = scratch.getInt(PID_OFFSET);
            int stdinFd = -1;
            if (stdinPipe[1] >= 0) {
                LibcDirect.closeQuietly(stdinPipe[0]);
                stdinPipe[0] = -1;
                stdinFd = stdinPipe[1];
                setNonBlocking(stdinFd);
                stdinPipe[1] = -1;
            }
            NativeProcess process = new NativeProcess(childPid, stdinFd, reaper, libc);
            process.handToReaper();
            return process;
        } catch (LastErrorException e) {
            throw new SpawnException("cannot start " + plan.argv().get(0) + ": " + Errno.describe(e.getErrorCode()), e);
        } finally {
            LibcDirect.closeQuietly(stdinPipe[0]);
            LibcDirect.closeQuietly(stdinPipe[1]);
            strings.close();
            scratch.close();
        }
    }

    /**
     * posix_spawn from the calling thread's descriptor table. The child opens its own output files
     * (created 0600), so the parent makes no file system calls for them: anew, never following a
     * link, in the session's directory, which it reaches through the descriptor it inherits
     * ({@link OutputDirectory}); else appended to, by path.
     */
    private int spawn(Memory scratch, NativeStrings strings, int stdinFd, boolean fresh, boolean nextRun, boolean terminal) {
        Pointer actions = scratch;
        LibcDirect.posix_spawn_file_actions_init(actions);
        try {
            if (terminal) {
                // stdin comes from the terminal, opened below.
            } else if (stdinFd >= 0) {
                LibcDirect.posix_spawn_file_actions_adddup2(actions, stdinFd, 0);
            } else {
                LibcDirect.posix_spawn_file_actions_addopen(actions, 0, devNull, O_RDONLY, 0);
            }
            // A next run appends to the files its job's first run created; a symlink is never followed.
            int out = O_WRONLY | O_CREAT | O_APPEND | (fresh ? LibcDirect.O_NOFOLLOW | (nextRun ? 0 : LibcDirect.O_EXCL) : 0);
            LibcDirect.posix_spawn_file_actions_addopen(actions, 1, strings.string(1), out, 0600);
            LibcDirect.posix_spawn_file_actions_addopen(actions, 2, strings.string(2), out, 0600);
            if (terminal) {
                // The session (SETSID) exists before the file actions run: the first terminal it opens
                // without O_NOCTTY becomes its controlling one. The files above stay made, and empty.
                LibcDirect.posix_spawn_file_actions_addopen(actions, 0, strings.string(4), LibcDirect.O_RDWR, 0);
                LibcDirect.posix_spawn_file_actions_adddup2(actions, 0, 1);
                LibcDirect.posix_spawn_file_actions_adddup2(actions, 0, 2);
            }
            LibcDirect.posix_spawn_file_actions_addchdir_np(actions, strings.string(3));
            LibcDirect.posix_spawn_file_actions_addclosefrom_np(actions, 3);
            return LibcDirect.posix_spawn(scratch.share(PID_OFFSET, 8), strings.string(0), actions, spawnAttr,
                    strings.array(0), strings.array(1));
        } finally {
            LibcDirect.posix_spawn_file_actions_destroy(actions);
        }
    }

    /**
     * Names the step that failed, looked into only now that it has: the child's output files come
     * first, then its directory and program (posix_spawn tells only an errno).
     */
    private static String failure(SpawnPlan plan, int error) {
        if (error == EEXIST && plan.outputs() != null) {
            return outputExists(plan);
        }
        for (Path file : List.of(plan.stdout(), plan.stderr())) {
            if (!Files.exists(file)) {
                return "cannot create " + file + ": " + Errno.describe(error);
            }
        }
        String problem = Executables.explain(plan);
        return problem != null ? problem : "cannot start " + plan.argv().get(0) + ": " + Errno.describe(error);
    }

    /**
     * A job's output file was there before it started: not followed, not appended to. Which one:
     * stdout is opened first, so a stderr file found there after a failed spawn was not made by it.
     */
    static String outputExists(SpawnPlan plan) {
        Path planted = Files.exists(Path.of(plan.reach(plan.stderr())), java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? plan.stderr() : plan.stdout();
        return "not starting " + plan.argv().get(0) + ": " + planted
                + " is there already; procsh writes job output only to files it creates (was it planted?)";
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
        libc.posix_spawnattr_setflags(attr, (short) (LibcDirect.POSIX_SPAWN_SETSID | LibcDirect.POSIX_SPAWN_SETSIGMASK
                | LibcDirect.POSIX_SPAWN_SETSIGDEF));
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
}

package procsh.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls made for every spawn, wait, reap and signal, bound by JNA's direct mapping: an
 * interface call goes through a proxy and boxes its arguments, ~1-2 us each under C1, a dozen per
 * job. Linked when first used, so {@link NativeBackend#probe()} reports a missing symbol.
 */
final class LibcDirect {

    // glibc's values (Linux, every architecture procsh runs on).
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOFOLLOW = 0400000;
    static final int O_APPEND = 02000;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int CLONE_FILES = 0x400;
    static final int CLOCK_MONOTONIC = 1;
    // Syscalls from 424 on have one number on every architecture.
    static final long SYS_PIDFD_OPEN = 434;
    static final int P_PIDFD = 3;
    static final int WNOHANG = 1;
    static final int WSTOPPED = 2;
    static final int WEXITED = 4;
    static final int WNOWAIT = 0x01000000;
    static final int CLD_EXITED = 1;
    static final int CLD_KILLED = 2;
    static final int CLD_DUMPED = 3;
    static final int POLLIN = 1;
    static final int POLLOUT = 4;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 1;
    /** Reported to one epoll_wait, then disabled until re-armed with EPOLL_CTL_MOD. */
    static final int EPOLLONESHOT = 1 << 30;
    static final int EAGAIN = 11;
    static final int EPIPE = 32;
    /** siginfo_t as ints: 128 bytes; si_code at byte 8, si_pid at 16, si_status at 24 on Linux. */
    static final int SIGINFO_INTS = 32;
    static final int SI_CODE = 2;
    static final int SI_PID = 4;
    static final int SI_STATUS = 6;
    /** struct epoll_event is packed (12 bytes) on x86-64 only; its 64-bit data follows the 32-bit mask. */
    static final int EVENT_SIZE = Platform.isIntel() && Platform.is64Bit() ? 12 : 16;
    static final int EVENT_DATA_OFFSET = EVENT_SIZE == 12 ? 4 : 8;
    /** One struct epoll_event as ints, for {@link #epoll_wait(int, int[], int, int)}. */
    static final int EVENT_INTS = EVENT_SIZE / 4;
    /** How a struct laid into Java ints reads: pollfd's two shorts, epoll_event's 64-bit data. */
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    /** A count of 1 for an eventfd: any non-zero 8 bytes will do, in either byte order. */
    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    static {
        Native.register(LibcDirect.class, com.sun.jna.NativeLibrary.getInstance(Libc.NAME));
    }

    private LibcDirect() {
    }

    static native int posix_spawn(Pointer pid, Pointer path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);

    static native int posix_spawn_file_actions_init(Pointer fileActions);

    static native int posix_spawn_file_actions_destroy(Pointer fileActions);

    static native int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, Pointer path, int oflag, int mode);

    static native int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    static native int posix_spawn_file_actions_addchdir_np(Pointer fileActions, Pointer path);

    static native int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

    /** syscall(2) with four integer arguments (unused ones 0): pidfd_open. */
    static native long syscall(long number, long a, long b, long c, long d) throws LastErrorException;

    /** The siginfo_t is a Java array (no native allocation per call), indexed by the SI_* constants. */
    static native int waitid(int idtype, int id, int[] info, int options) throws LastErrorException;

    /**
     * One struct pollfd as two ints, {fd, events | revents << 16} in memory order: see
     * {@link #pollEvents}. A Java array, so a wait allocates nothing native.
     */
    static native int poll(int[] fds, long count, int timeoutMillis) throws LastErrorException;

    /** The second int of a struct pollfd asking for {@code events}: the short at offset 4 is its low half on a little-endian machine. */
    static int pollEvents(int events) {
        return LITTLE_ENDIAN ? events : events << 16;
    }

    static native int epoll_ctl(int epfd, int op, int fd, Pointer event) throws LastErrorException;

    static native int epoll_wait(int epfd, Pointer events, int maxEvents, int timeout) throws LastErrorException;

    /** One event into a Java array of {@link #EVENT_INTS} ints, so a wait allocates nothing native; see {@link #eventData}. */
    static native int epoll_wait(int epfd, int[] event, int maxEvents, int timeout) throws LastErrorException;

    /** The 64-bit data of the struct epoll_event held in {@code event}. */
    static long eventData(int[] event) {
        int at = EVENT_DATA_OFFSET / 4;
        long first = event[at] & 0xffffffffL;
        long second = event[at + 1] & 0xffffffffL;
        return LITTLE_ENDIAN ? first | second << 32 : first << 32 | second;
    }

    static native int unshare(int flags) throws LastErrorException;

    static native int epoll_create1(int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    /** Made once per session (its output directory): a String argument is converted per call. */
    static native int open(String path, int flags, int mode) throws LastErrorException;

    /** Cuts or frees a log's front ({@link FileSpace}). */
    static native int fallocate(int fd, int mode, long offset, long length) throws LastErrorException;

    static native long read(int fd, Pointer buffer, long count) throws LastErrorException;

    static native long write(int fd, Pointer buffer, long count) throws LastErrorException;

    static native long read(int fd, byte[] buffer, long count) throws LastErrorException;

    static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

    /** Adds 1 to an eventfd's count, making it readable; false if that failed (a count near 2^64). */
    static boolean bumpCounter(int fd) {
        try {
            write(fd, ONE, 8);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** Reads an eventfd's count or a timerfd's expirations, so it is no longer readable. */
    static void drainCounter(int fd) {
        try {
            read(fd, new byte[8], 8);
        } catch (LastErrorException alreadyDrained) {
            // EAGAIN: nothing to read.
        }
    }

    static native int kill(int pid, int signal) throws LastErrorException;

    static native int eventfd(int initialValue, int flags) throws LastErrorException;

    static native int timerfd_create(int clockId, int flags) throws LastErrorException;

    static native int timerfd_settime(int fd, int flags, Pointer newValue, Pointer oldValue) throws LastErrorException;

    static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                close(fd);
            } catch (LastErrorException ignored) {
                // Nothing useful to do about a failed close of a descriptor we are dropping.
            }
        }
    }
}

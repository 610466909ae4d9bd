package procsh.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The few libc calls procsh needs, bound through JNA. Loaded on first use. */
public interface Libc extends Library {

    int kill(int pid, int sig) throws LastErrorException;

    int killpg(int pgrp, int sig) throws LastErrorException;

    int getpid();

    long sysconf(int name);

    /** glibc 2.32+: "KILL" for 9; null for real-time signals. */
    String sigabbrev_np(int sig);

    int __libc_current_sigrtmin();

    int __libc_current_sigrtmax();

    String strerror(int errnum);

    // posix_spawn's attribute object (opaque, allocated by the caller), made once; the calls made
    // for every spawn are in LibcDirect.

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    int sigemptyset(Pointer set);

    /** Returns the error number itself (0 on success), as the pthread calls do. */
    int pthread_sigmask(int how, byte[] set, byte[] oldSet);

    int sigfillset(Pointer set);

    long syscall(long number, Object... args) throws LastErrorException;

    int pipe2(int[] fds, int flags) throws LastErrorException;

    long write(int fd, byte[] buf, long count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /**
     * glibc by its soname: asked for "c", JNA finds only the libc.so linker script and falls back
     * to running {@code ldconfig -p}, a child process and ~40 ms at every start.
     */
    String NAME = com.sun.jna.Platform.isLinux() ? "libc.so.6" : "c";

    /** Loaded once, on first use; JNA's native part costs ~100 ms to unpack and link. */
    final class Holder {
        static final Libc INSTANCE = Native.load(NAME, Libc.class);

        private Holder() {
        }
    }

    static Libc get() {
        return Holder.INSTANCE;
    }
}

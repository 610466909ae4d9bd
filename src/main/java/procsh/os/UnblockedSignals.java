package procsh.os;

import com.sun.jna.LastErrorException;

/**
 * Runs a ProcessBuilder start with no signal blocked on the calling thread. The child inherits
 * the mask of the thread that spawns it, and HotSpot blocks SIGQUIT on every Java thread but
 * main (only its VM thread takes it): a jdk-backend job started from the console or a script
 * thread could not be sent SIGQUIT. ProcessBuilder has no hook to reset a mask in the child, so
 * the parent's thread clears its own for the moment of the spawn and restores it after.
 */
final class UnblockedSignals {

    private static final int SIG_SETMASK = 2;
    /** glibc's sigset_t: 1024 bits; all zero is the empty set. */
    private static final int SIGSET_BYTES = 128;

    interface Start<T, E extends Exception> {
        T run() throws E;
    }

    private UnblockedSignals() {
    }

    static <T, E extends Exception> T during(Start<T, E> start) throws E {
        byte[] saved = new byte[SIGSET_BYTES];
        boolean cleared;
        try {
            cleared = Libc.get().pthread_sigmask(SIG_SETMASK, new byte[SIGSET_BYTES], saved) == 0;
        } catch (LastErrorException | LinkageError noLibc) {
            cleared = false; // without JNA the job starts with the JVM's mask, as before
        }
        try {
            return start.run();
        } finally {
            if (cleared) {
                Libc.get().pthread_sigmask(SIG_SETMASK, saved, null);
            }
        }
    }
}

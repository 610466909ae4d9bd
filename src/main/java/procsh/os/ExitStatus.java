package procsh.os;

/**
 * What the OS said about a process's end.
 *
 * @param code          the exit code when {@link #signalled} is false
 * @param signal        the signal number when the process died of one
 * @param signalled     true when the wait status said "killed by a signal"
 * @param coreDumped    true when the kernel wrote a core
 * @param exact         false when the backend only saw a shell-style code (128+N) and cannot tell
 *                      an exit(137) from a death by signal 9
 */
public record ExitStatus(int code, int signal, boolean signalled, boolean coreDumped, boolean exact) {

    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0, false, false, true);
    }

    public static ExitStatus killed(int signal, boolean coreDumped) {
        return new ExitStatus(0, signal, true, coreDumped, true);
    }

    /** A code as the JDK reports it: a death by signal N reads as 128+N. */
    public static ExitStatus shellStyle(int code) {
        return new ExitStatus(code, 0, false, false, false);
    }
}

package procsh.os;

/** errno values procsh reacts to; the same on Linux and macOS. */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;

    private Errno() {
    }

    /** The C library's own wording for an error number. */
    static String describe(int errno) {
        try {
            String text = Libc.get().strerror(errno);
            return text != null ? text : "error " + errno;
        } catch (RuntimeException | LinkageError e) {
            return "error " + errno;
        }
    }
}

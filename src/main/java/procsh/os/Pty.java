package procsh.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A pseudo-terminal for one job: procsh holds the master side; the job opens the slave by path
 * as the first act of its new session, which makes it the job's controlling terminal (so
 * Ctrl-C typed while attached reaches the job's foreground group, and programs such as
 * {@code python3} and {@code top} see a terminal). Linux only.
 */
public final class Pty implements AutoCloseable {

    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;
    private static final int O_CLOEXEC = 02000000;
    private static final long TIOCSWINSZ = 0x5414;
    private static final int EIO = 5;
    private static final int EINTR = 4;

    private interface Calls extends Library {
        int posix_openpt(int flags) throws LastErrorException;

        int grantpt(int fd) throws LastErrorException;

        int unlockpt(int fd) throws LastErrorException;

        int ptsname_r(int fd, byte[] buf, long len);

        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, long request, short[] winsize) throws LastErrorException;

        long read(int fd, byte[] buf, long count) throws LastErrorException;

        long write(int fd, byte[] buf, long count) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final Calls CALLS = Native.load(Libc.NAME, Calls.class);
    }

    private final int master;
    private final String slavePath;
    private volatile int slave = -1;
    private volatile boolean closed;

    private Pty(int master, String slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /** A new pseudo-terminal of the given size. */
    public static Pty open(int columns, int rows) throws IOException {
        Calls c = Holder.CALLS;
        int fd;
        try {
            fd = c.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open a pseudo-terminal: " + Errno.describe(e.getErrorCode()));
        }
        try {
            c.grantpt(fd);
            c.unlockpt(fd);
            byte[] name = new byte[128];
            int error = c.ptsname_r(fd, name, name.length);
            if (error != 0) {
                throw new IOException("cannot name the pseudo-terminal: " + Errno.describe(error));
            }
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            Pty pty = new Pty(fd, new String(name, 0, len, StandardCharsets.US_ASCII));
            pty.resize(columns, rows);
            // Held open until the job has opened it too: a slave nobody has open makes the master read EIO.
            pty.slave = c.open(pty.slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC);
            return pty;
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw new IOException("cannot set up a pseudo-terminal: " + Errno.describe(e.getErrorCode()));
        }
    }

    /** {@code /dev/pts/N}, which the job opens as its stdin, stdout and stderr. */
    public String slavePath() {
        return slavePath;
    }

    /** Called once the job runs: from then on the master reads EIO when the job and its children have all let go. */
    public void releaseSlave() {
        int fd = slave;
        slave = -1;
        if (fd >= 0) {
            closeQuietly(fd);
        }
    }

    /** Tells the job its terminal's size (it gets SIGWINCH). */
    public void resize(int columns, int rows) throws IOException {
        short[] size = {(short) Math.max(1, rows), (short) Math.max(1, columns), 0, 0};
        try {
            Holder.CALLS.ioctl(master, TIOCSWINSZ, size);
        } catch (LastErrorException e) {
            throw new IOException("cannot resize the terminal: " + Errno.describe(e.getErrorCode()));
        }
    }

    /** What the job wrote to its terminal; -1 once nothing has the terminal open any more. Blocks. */
    public int read(byte[] buffer) throws IOException {
        while (true) {
            try {
                return (int) Holder.CALLS.read(master, buffer, buffer.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EIO || closed) {
                    return -1;
                }
                if (e.getErrorCode() != EINTR) {
                    throw new IOException("cannot read the job's terminal: " + Errno.describe(e.getErrorCode()));
                }
            }
        }
    }

    /** Types into the job's terminal. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
        byte[] chunk = offset == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, offset, offset + length);
        int done = 0;
        while (done < length) {
            byte[] rest = done == 0 ? chunk : java.util.Arrays.copyOfRange(chunk, done, length);
            try {
                done += (int) Holder.CALLS.write(master, rest, length - done);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new IOException("cannot write to the job's terminal: " + Errno.describe(e.getErrorCode()));
                }
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            releaseSlave();
            closeQuietly(master);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Holder.CALLS.close(fd);
        } catch (LastErrorException ignored) {
            // Nothing to flush on a terminal.
        }
    }
}

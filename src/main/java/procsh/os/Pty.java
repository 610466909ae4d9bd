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
 * {@code python3} and {@code top} see a terminal). The master is non-blocking: a job that reads
 * nothing never holds up whoever types into it. Linux only.
 */
public final class Pty implements AutoCloseable {

    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;
    private static final long TIOCSWINSZ = 0x5414;
    private static final int EIO = 5;
    private static final int EINTR = 4;

    private interface Calls extends Library {
        int posix_openpt(int flags) throws LastErrorException;

        int grantpt(int fd) throws LastErrorException;

        int unlockpt(int fd) throws LastErrorException;

        int ptsname_r(int fd, byte[] buf, long len);

        int ioctl(int fd, long request, short[] winsize) throws LastErrorException;
    }

    private static final class Holder {
        static final Calls CALLS = Native.load(Libc.NAME, Calls.class);
    }

    private final int master;
    private final String slavePath;
    private volatile int slave = -1;
    private volatile boolean closed;
    private volatile int columns;
    private volatile int rows;

    private Pty(int master, String slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /** A new pseudo-terminal of the given size. */
    public static Pty open(int columns, int rows) throws IOException {
        Calls c = Holder.CALLS;
        int fd;
        try {
            fd = c.posix_openpt(O_RDWR | O_NOCTTY | LibcDirect.O_CLOEXEC | LibcDirect.O_NONBLOCK);
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
            pty.slave = LibcDirect.open(pty.slavePath, O_RDWR | O_NOCTTY | LibcDirect.O_CLOEXEC, 0);
            return pty;
        } catch (LastErrorException e) {
            LibcDirect.closeQuietly(fd);
            throw new IOException("cannot set up a pseudo-terminal: " + Errno.describe(e.getErrorCode()));
        } catch (IOException e) {
            LibcDirect.closeQuietly(fd);
            throw e;
        }
    }

    /** {@code /dev/pts/N}, which the job opens as its stdin, stdout and stderr. */
    public String slavePath() {
        return slavePath;
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    /** Called once the job runs: from then on the master reads EIO when the job and its children have all let go. */
    public void releaseSlave() {
        int fd = slave;
        slave = -1;
        LibcDirect.closeQuietly(fd);
    }

    /** Tells the job its terminal's size (its foreground group gets SIGWINCH when it changed). */
    public void resize(int columns, int rows) throws IOException {
        int c = Math.max(1, Math.min(columns, Short.MAX_VALUE));
        int r = Math.max(1, Math.min(rows, Short.MAX_VALUE));
        try {
            Holder.CALLS.ioctl(master, TIOCSWINSZ, new short[] {(short) r, (short) c, 0, 0});
        } catch (LastErrorException e) {
            throw new IOException("cannot resize the terminal: " + Errno.describe(e.getErrorCode()));
        }
        this.columns = c;
        this.rows = r;
    }

    /**
     * What the job wrote to its terminal, waiting up to {@code timeoutMillis} for some: the count
     * read, 0 when nothing came in time, -1 once nothing has the terminal open any more (or it was closed).
     */
    public int read(byte[] buffer, int timeoutMillis) throws IOException {
        if (closed) {
            return -1;
        }
        int[] pollfd = {master, LibcDirect.pollEvents(LibcDirect.POLLIN)};
        try {
            if (LibcDirect.poll(pollfd, 1, timeoutMillis) == 0) {
                return 0;
            }
            long n = LibcDirect.read(master, buffer, buffer.length);
            return n == 0 ? -1 : (int) n;
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == EINTR || errno == LibcDirect.EAGAIN) {
                return 0;
            }
            if (errno == EIO || closed) {
                return -1;
            }
            throw new IOException("cannot read the job's terminal: " + Errno.describe(errno));
        }
    }

    /**
     * Types into the job's terminal what it takes, giving up once it has taken nothing for
     * {@code stallNanos} (a job that reads nothing fills the terminal's input buffer).
     *
     * @return how many bytes, from {@code offset}, were written
     */
    public int write(byte[] bytes, int offset, int length, long stallNanos) throws IOException {
        int done = 0;
        long stallEnd = System.nanoTime() + stallNanos;
        while (done < length && !closed) {
            byte[] rest = offset + done == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, offset + done, offset + length);
            try {
                long n = LibcDirect.write(master, rest, length - done);
                done += (int) n;
                stallEnd = System.nanoTime() + stallNanos;
                continue;
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno != LibcDirect.EAGAIN && errno != EINTR) {
                    throw new IOException("cannot write to the job's terminal: " + Errno.describe(errno));
                }
            }
            long left = stallEnd - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                break;
            }
            int[] pollfd = {master, LibcDirect.pollEvents(LibcDirect.POLLOUT)};
            try {
                LibcDirect.poll(pollfd, 1, (int) Math.max(1, Math.min(left / 1_000_000, 50)));
            } catch (LastErrorException interrupted) {
                // EINTR: look again.
            }
        }
        return done;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes both sides. Only the thread that reads it closes it, so no read meets a reused descriptor. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            releaseSlave();
            LibcDirect.closeQuietly(master);
        }
    }
}

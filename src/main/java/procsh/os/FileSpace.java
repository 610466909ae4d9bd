package procsh.os;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Cuts the front off a file that a job is still appending to, without losing a byte the job
 * writes meanwhile: Linux's {@code fallocate(FALLOC_FL_COLLAPSE_RANGE)} removes a block-aligned
 * prefix in place under the inode lock, so an {@code O_APPEND} writer simply goes on at the new
 * end. A rename or a copy-and-truncate would, respectively, leave the job writing into the old
 * file or drop what it wrote between the copy and the truncate. ext4 and XFS support it; tmpfs
 * and others answer EOPNOTSUPP ({@link Unsupported}), and there {@link #punchFront} frees the
 * front's space instead, keeping offsets.
 */
public final class FileSpace {

    private static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int EOPNOTSUPP = 95;
    /** The unit a collapse works in: the file system's block; 4 KiB on every ext4/XFS set-up seen. */
    public static final long BLOCK = 4096;

    /** The file system cannot cut a file's front in place. */
    public static final class Unsupported extends IOException {
        Unsupported(String message) {
            super(message);
        }
    }

    private FileSpace() {
    }

    /** Whether this platform has the call at all (Linux); the file system may still refuse it. */
    public static boolean available() {
        return com.sun.jna.Platform.isLinux();
    }

    /**
     * Removes the first {@code length} bytes of {@code file} (a multiple of {@link #BLOCK}, less than
     * its size: a collapse that reaches the end is refused); what follows moves to offset 0. The file is opened without following a symlink.
     */
    public static void collapseFront(Path file, long length) throws IOException {
        fallocate(file, FALLOC_FL_COLLAPSE_RANGE, length, "cut a file in place");
    }

    /**
     * Frees the first {@code length} bytes of {@code file} as a hole: the file keeps its size and
     * offsets (the hole reads as zeros), its space is given back. For file systems that cannot
     * collapse a range (tmpfs, whose space is memory); most that can hold files can do this.
     */
    public static void punchFront(Path file, long length) throws IOException {
        fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, length, "free a file's front");
    }

    private static void fallocate(Path file, int mode, long length, String what) throws IOException {
        if (!available()) {
            throw new Unsupported(what + " needs Linux");
        }
        if (length <= 0 || length % BLOCK != 0) {
            throw new IllegalArgumentException("not a whole number of blocks: " + length);
        }
        int fd;
        try {
            fd = LibcDirect.open(file.toString(), LibcDirect.O_RDWR | LibcDirect.O_NOFOLLOW | LibcDirect.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + file + ": " + Errno.describe(e.getErrorCode()));
        }
        try {
            LibcDirect.fallocate(fd, mode, 0, length);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EOPNOTSUPP) {
                throw new Unsupported("the file system of " + file.getParent() + " cannot " + what);
            }
            throw new IOException("cannot " + what + " " + file + ": " + Errno.describe(e.getErrorCode()));
        } finally {
            LibcDirect.closeQuietly(fd);
        }
    }
}

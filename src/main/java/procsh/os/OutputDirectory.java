package procsh.os;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * The directory jobs' output files go in, opened once and checked through that descriptor: it is
 * ours and closed to others. A job's file is then named through /proc/self/fd/N/, which reaches
 * this very directory whatever is later renamed or swapped along its path, and is created anew
 * (O_EXCL: never a file or symlink someone planted there) by whichever process opens it (the
 * child, in a native spawn; the JVM, for the jdk backend). Where no descriptor can be had (no JNA
 * or no /proc) the plain path is used, still created exclusively.
 */
public final class OutputDirectory implements AutoCloseable {

    private static final int O_DIRECTORY = 0200000;

    private final Path path;
    private final boolean viaDescriptor;
    private volatile int fd;

    private OutputDirectory(Path path, int fd) {
        this.path = path;
        this.viaDescriptor = fd >= 0;
        this.fd = fd;
    }

    /** Opens {@code dir}, which must be a directory of this user's that no one else can enter or write to. */
    public static OutputDirectory open(Path dir) throws IOException {
        int fd;
        try {
            fd = LibcDirect.open(dir.toString(), LibcDirect.O_RDONLY | O_DIRECTORY | LibcDirect.O_NOFOLLOW | LibcDirect.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + dir + ": " + Errno.describe(e.getErrorCode()));
        } catch (LinkageError noJna) {
            fd = -1;
        }
        OutputDirectory opened = new OutputDirectory(dir, fd);
        Path checked = fd >= 0 ? Path.of("/proc/self/fd/" + fd) : dir;
        try {
            // Through the descriptor: what was opened, not what the path names now.
            PosixFileAttributes attrs = Files.readAttributes(checked, PosixFileAttributes.class,
                    fd >= 0 ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS});
            String me = System.getProperty("user.name");
            if (!attrs.isDirectory() || !attrs.owner().getName().equals(me)
                    || attrs.permissions().stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
                throw new IOException("refusing to write job output in " + dir + ": it is not a private directory of " + me);
            }
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    public Path path() {
        return path;
    }

    /** The name a process opens to reach {@code file} of this directory (the child inherits the descriptor). */
    public String reach(String file) {
        if (!viaDescriptor) {
            return path.resolve(file).toString();
        }
        int dir = fd;
        if (dir < 0) {
            throw new IllegalStateException("the session's output directory is closed");
        }
        return "/proc/self/fd/" + dir + "/" + file;
    }

    @Override
    public void close() {
        int was = fd;
        fd = -1;
        if (was >= 0) {
            LibcDirect.closeQuietly(was);
        }
    }

}

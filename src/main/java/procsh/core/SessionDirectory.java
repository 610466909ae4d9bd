package procsh.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * The per-session directory holding each job's output: {@code $XDG_STATE_HOME/procsh/<session>/}
 * (else {@code ~/.local/state/procsh/<session>/}), mode 0700, files 0600, created that way so
 * there is no moment at which others could read them.
 */
public final class SessionDirectory {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static final java.util.concurrent.atomic.AtomicInteger SEQUENCE = new java.util.concurrent.atomic.AtomicInteger();

    private final Path root;
    private final String sessionId;

    private SessionDirectory(Path root, String sessionId) {
        this.root = root;
        this.sessionId = sessionId;
    }

    /** The user's state directory for procsh, from the environment as XDG defines it. */
    public static Path defaultBase() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path state = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return state.resolve("procsh");
    }

    public static SessionDirectory create() {
        return create(defaultBase());
    }

    public static SessionDirectory create(Path base) {
        try {
            // Missing parents ($XDG_STATE_HOME, ~/.local/state) are created 0700, as the XDG spec asks: a
            // world-writable parent made under an open umask would let others swap the procsh directory.
            Files.createDirectories(base.toAbsolutePath().getParent(), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            ensurePrivate(base);
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            // Unique within the JVM too: the id marks every job's processes (see JobTable.MARKER).
            int sequence = SEQUENCE.incrementAndGet();
            String id = stamp + "-" + ProcessHandle.current().pid() + (sequence == 1 ? "" : "-" + sequence);
            Path dir = base.resolve(id);
            for (int n = 2; ; n++) {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                    break;
                } catch (FileAlreadyExistsException taken) {
                    id = stamp + "-" + ProcessHandle.current().pid() + "-" + sequence + "." + n;
                    dir = base.resolve(id);
                }
            }
            return new SessionDirectory(dir, id);
        } catch (IOException e) {
            throw new ProcshException("cannot create the session directory under " + base + ": " + e.getMessage(), e);
        }
    }

    /** Creates {@code dir} 0700, or accepts an existing one only if it is ours and closed to others. */
    static void ensurePrivate(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            return;
        } catch (FileAlreadyExistsException exists) {
            // Checked below.
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ProcshException("refusing to use " + dir + ": it is not a directory (or is a symlink); move it away");
        }
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        String me = System.getProperty("user.name");
        if (!owner.getName().equals(me)) {
            throw new ProcshException("refusing to use " + dir + ": it belongs to " + owner.getName() + ", not " + me);
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new ProcshException("refusing to use " + dir + ": others can read it (mode "
                    + PosixFilePermissions.toString(perms) + "); run chmod 700 " + dir);
        }
    }

    public Path root() {
        return root;
    }

    public String sessionId() {
        return sessionId;
    }

    /**
     * Where a job's output file goes; the backend creates it, private to the user (0600), when
     * the job starts, and appends to it should it exist.
     */
    public Path file(String name) {
        return root.resolve(name);
    }
}

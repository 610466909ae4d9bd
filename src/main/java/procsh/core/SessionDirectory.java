package procsh.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import procsh.os.OutputDirectory;

/**
 * The per-session directory holding each job's output: {@code $XDG_STATE_HOME/procsh/<session>/}
 * (else {@code ~/.local/state/procsh/<session>/}), mode 0700, files 0600, created that way so
 * there is no moment at which others could read them. A state root that another user could write
 * to (where they could swap directories and plant symlinks) is not used: the next of
 * ~/.local/state and a fresh private temporary directory is, and {@link #warning()} says so. The
 * session directory is opened once ({@link OutputDirectory}), and jobs' files are created through
 * that descriptor. The session's own directory is made when the first job starts: a run that
 * starts none ({@code procsh -c help}) leaves nothing behind.
 */
public final class SessionDirectory implements AutoCloseable {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static final java.util.concurrent.atomic.AtomicInteger SEQUENCE = new java.util.concurrent.atomic.AtomicInteger();

    private final Path base;
    private final String warning;
    /** Made on first use (the first job), so a run that starts no job leaves no directory behind. */
    private Created created;
    private boolean closed;

    private record Created(Path root, String sessionId, OutputDirectory outputs) {
    }

    private final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private final int sequence = SEQUENCE.incrementAndGet();
    private final String provisional = stamp + "-" + ProcessHandle.current().pid() + (sequence == 1 ? "" : "-" + sequence);

    private SessionDirectory(Path base, String warning) {
        this.base = base;
        this.warning = warning;
    }

    /** The user's state directory for procsh, from the environment as XDG defines it. */
    public static Path defaultBase() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path state = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return state.resolve("procsh");
    }

    /** In the user's state directory, or where {@link #warning()} says when that one is open to others. */
    public static SessionDirectory create() {
        return create(System.getenv("XDG_STATE_HOME"), Path.of(System.getProperty("user.home")));
    }

    /** {@link #create()} for this $XDG_STATE_HOME (may be null) and home directory. */
    static SessionDirectory create(String xdg, Path userHome) {
        Path home = userHome.resolve(".local").resolve("state");
        StringBuilder refused = new StringBuilder();
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            String problem = unsafeRoot(Path.of(xdg));
            if (problem == null) {
                return create(Path.of(xdg).resolve("procsh"), null);
            }
            refused.append("$XDG_STATE_HOME (").append(xdg).append(") ").append(problem);
        }
        String problem = unsafeRoot(home);
        if (problem == null) {
            return create(home.resolve("procsh"), warning(refused, home.resolve("procsh")));
        }
        refused.append(refused.length() > 0 ? ", and " : "").append(home).append(' ').append(problem);
        try {
            Path temporary = Files.createTempDirectory("procsh-", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            return create(temporary, warning(refused, temporary));
        } catch (IOException e) {
            throw new ProcshException(refused + "; and no private temporary directory could be made: " + e.getMessage(), e);
        }
    }

    private static String warning(CharSequence refused, Path used) {
        return refused.length() == 0 ? null : refused + ": job output goes to " + used + " instead";
    }

    /**
     * Why {@code root} must not hold procsh's state, or null if it may: it must be this user's and
     * writable by no one else. Created (0700) if missing, as the XDG spec asks.
     */
    static String unsafeRoot(Path root) {
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            PosixFileAttributes attrs = Files.readAttributes(root, PosixFileAttributes.class);
            String me = System.getProperty("user.name");
            if (!attrs.owner().getName().equals(me)) {
                return "belongs to " + attrs.owner().getName() + ", not " + me;
            }
            Set<PosixFilePermission> perms = attrs.permissions();
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                return "is writable by others (mode " + PosixFilePermissions.toString(perms) + ")";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot be used (" + e.getMessage() + ")";
        }
    }

    /** Under {@code base} (the procsh directory itself), which is created private or must be so already. */
    public static SessionDirectory create(Path base) {
        return create(base, null);
    }

    private static SessionDirectory create(Path base, String warning) {
        try {
            // Missing parents ($XDG_STATE_HOME, ~/.local/state) are created 0700, as the XDG spec asks: a
            // world-writable parent made under an open umask would let others swap the procsh directory.
            Files.createDirectories(base.toAbsolutePath().getParent(), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            ensurePrivate(base);
            return new SessionDirectory(base, warning);
        } catch (IOException e) {
            throw new ProcshException("cannot create the session directory under " + base + ": " + e.getMessage(), e);
        }
    }

    /** The session's own directory, made and opened on first use. */
    private synchronized Created created() {
        if (created != null) {
            return created;
        }
        if (closed) {
            throw new ProcshException("this session is closing: no new job output");
        }
        try {
            // Unique within the JVM too (sequence): the id marks every job's processes (see JobTable.MARKER).
            String id = provisional;
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
            created = new Created(dir, id, OutputDirectory.open(dir));
            return created;
        } catch (IOException e) {
            throw new ProcshException("cannot create the session directory under " + base + ": " + e.getMessage(), e);
        }
    }

    /** The directory the sessions' directories are in (the procsh state directory). */
    public Path base() {
        return base;
    }

    /** Whether the session's directory has been made (a job was started). */
    public synchronized boolean exists() {
        return created != null;
    }

    /** Creates {@code dir} 0700, or accepts an existing one only if it is ours and closed to others (else a ProcshException says why). */
    public static void ensurePrivate(Path dir) throws IOException {
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

    /** One line saying which state directory was refused and which is used instead; null when none was. */
    public String warning() {
        return warning;
    }

    /** The session directory, opened: where the backends create jobs' files. */
    public OutputDirectory outputs() {
        return created().outputs();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (created != null) {
            created.outputs().close();
        }
    }

    public Path root() {
        return created().root();
    }

    /**
     * The id that marks this session's jobs: the directory's name. Before the first job it is the
     * name the directory will most likely get (a clash at creation adds a suffix); nothing is marked
     * with it until then.
     */
    public synchronized String sessionId() {
        return created != null ? created.sessionId() : provisional;
    }

    /**
     * Where a job's output file goes; the backend creates it, private to the user (0600), when
     * the job starts, and refuses one that exists already (see {@link OutputDirectory}).
     */
    public Path file(String name) {
        return created().root().resolve(name);
    }
}

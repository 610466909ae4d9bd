package procsh.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.regex.Pattern;
import procsh.core.SessionDirectory;

/**
 * Where a detached agent lives on its host: {@code agents/ID.sock} (the socket relays reach it
 * by), {@code ID.lock} (held while it runs, so only one serves an id) and {@code ID.log} (what it
 * printed, for a start that failed), in a directory only the user can enter: the state directory's,
 * or a private one under /tmp when that path is too long for a socket's name.
 */
record AgentPaths(Path dir, String id) {

    /** What a client may name its agent: no path, no shell or option syntax. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");
    /** sun_path is 108 bytes with its NUL; a few kept spare. */
    private static final int MAX_SOCKET_PATH = 100;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The paths of agent {@code id}, the directory made private (0700) or checked to be so. */
    static AgentPaths of(String id) throws IOException {
        if (!validId(id)) {
            throw new IOException("bad agent id '" + procsh.text.Escape.echo(String.valueOf(id)) + "'");
        }
        Path dir = SessionDirectory.defaultBase().resolve("agents");
        if (dir.resolve(id + ".sock").toString().length() > MAX_SOCKET_PATH) {
            dir = Path.of(System.getProperty("java.io.tmpdir"), "procsh-agents-" + System.getProperty("user.name"));
        }
        Files.createDirectories(dir.getParent(), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            SessionDirectory.ensurePrivate(dir);
        } catch (procsh.core.ProcshException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new AgentPaths(dir, id);
    }

    Path socket() {
        return dir.resolve(id + ".sock");
    }

    Path lock() {
        return dir.resolve(id + ".lock");
    }

    Path log() {
        return dir.resolve(id + ".log");
    }

    /** Removes the agent's files once it has ended for good. */
    void delete() {
        for (Path p : new Path[] {socket(), lock(), log()}) {
            try {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // A leftover file in a private directory: harmless, reused by no one.
            }
        }
    }
}

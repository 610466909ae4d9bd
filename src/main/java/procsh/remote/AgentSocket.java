package procsh.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * A detached agent's Unix socket: bound by the agent under its lock, so one agent serves an id,
 * and reached by relays as the user only (a private directory, and the peer's user checked).
 */
final class AgentSocket implements AutoCloseable {

    private final AgentPaths paths;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final ServerSocketChannel server;
    private volatile boolean closed;

    private AgentSocket(AgentPaths paths, FileChannel lockFile, FileLock lock, ServerSocketChannel server) {
        this.paths = paths;
        this.lockFile = lockFile;
        this.lock = lock;
        this.server = server;
    }

    /** Takes the id's lock and binds its socket; fails when another agent serves the id. */
    static AgentSocket serve(String id) throws IOException {
        AgentPaths paths = AgentPaths.of(id);
        FileChannel lockFile = FileChannel.open(paths.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileLock lock = lockFile.tryLock();
        if (lock == null) {
            lockFile.close();
            throw new IOException("another agent already serves " + id);
        }
        try {
            Files.deleteIfExists(paths.socket()); // an agent that died left it: we hold the lock, so it is no one's
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(paths.socket()));
            sweepOldLocks(paths);
            return new AgentSocket(paths, lockFile, lock, server);
        } catch (IOException e) {
            lock.release();
            lockFile.close();
            throw e;
        }
    }

    /** The files of agents killed long ago (ids are never reused): removed, each only while its lock is held here, so no live agent's. */
    private static void sweepOldLocks(AgentPaths paths) {
        java.time.Instant old = java.time.Instant.now().minus(java.time.Duration.ofDays(1));
        try (var files = Files.newDirectoryStream(paths.dir(), "*.lock")) {
            for (java.nio.file.Path file : files) {
                if (file.equals(paths.lock()) || Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(old)) {
                    continue;
                }
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                        FileLock held = channel.tryLock()) {
                    String id = file.getFileName().toString().replaceFirst("\\.lock$", "");
                    if (held != null && AgentPaths.validId(id)) {
                        new AgentPaths(paths.dir(), id).delete(); // its socket and log too
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Left for the next agent to sweep: a few empty files.
        }
    }

    /** One accepted connection. */
    record Connection(SocketChannel channel) {
        InputStream in() {
            return UnixSocketStreams.in(channel);
        }

        OutputStream out() {
            return UnixSocketStreams.out(channel);
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Gone already.
            }
        }
    }

    /** Hands each connection of this user to {@code handler} until the socket is closed. */
    void accept(Consumer<Connection> handler) throws IOException {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            }
            Connection connection = new Connection(channel);
            if (!sameUser(channel, paths)) {
                connection.close();
                continue;
            }
            handler.accept(connection);
        }
    }

    /** The peer runs as the owner of the agents' directory (compared as the OS's principals, so a uid without a name works too). */
    private static boolean sameUser(SocketChannel channel, AgentPaths paths) {
        try {
            return channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user()
                    .equals(Files.getOwner(paths.dir(), LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return true; // no peer credentials here: the private directory is the guard
        }
    }

    /** Connects to the agent serving {@code paths}; throws when none does. */
    static SocketChannel connect(AgentPaths paths) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(paths.socket()));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        // Deleted before it is unlocked: an id is one session's and never reused, so no other agent waits for it.
        paths.delete();
        try {
            lock.release();
            lockFile.close();
        } catch (IOException ignored) {
            // The lock goes with the process.
        }
    }
}

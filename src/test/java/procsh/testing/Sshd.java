package procsh.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on 127.0.0.1 for one test class: its own host key, a throwaway user key
 * and config in a temporary directory, running as the test user. {@link #clientConfig()} is the
 * {@code ssh -F} file that reaches it as host {@code 127.0.0.1}. Never the system's sshd.
 */
public final class Sshd implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final int port;
    private final Process process;

    private Sshd(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Why no server can be started here, or null when one can (tests skip with this message). */
    public static String missing() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh")) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))
                ? null : "skipped: no OpenSSH server at /usr/sbin/sshd (apt-get install openssh-server; .ci/run installs it)";
    }

    public static Sshd start(Path dir) throws IOException, InterruptedException {
        if (missing() != null) {
            throw new IOException(missing());
        }
        // Absolute: sshd starts a fresh copy of itself in / for each connection, which reads the same paths.
        dir = dir.toAbsolutePath();
        for (String old : List.of("host_key", "host_key.pub", "user_key", "user_key.pub", "authorized_keys")) {
            Files.deleteIfExists(dir.resolve(old)); // ssh-keygen would ask before overwriting
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        // sshd refuses to start without its privilege-separation directory.
        Files.createDirectories(Path.of("/run/sshd"));
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("user_key").toString());
        Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                // Tests run as root here and in CI.
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                "PrintMotd no",
                "MaxSessions 200",
                "MaxStartups 100",
                "LogLevel ERROR", ""));
        Files.writeString(dir.resolve("ssh_config"), String.join("\n",
                "Host *",
                "  Port " + port,
                "  IdentityFile " + dir.resolve("user_key"),
                "  IdentitiesOnly yes",
                "  StrictHostKeyChecking no",
                "  UserKnownHostsFile /dev/null",
                "  LogLevel ERROR",
                "  BatchMode yes", ""));
        Process sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        Sshd server = new Sshd(dir, port, sshd);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return server;
            } catch (IOException notYet) {
                if (!sshd.isAlive() || System.nanoTime() > deadline) {
                    server.close();
                    throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")).strip());
                }
                Thread.sleep(20);
            }
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true).redirectOutput(dir.resolve("keygen.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IOException(List.of(command) + " failed: " + Files.readString(dir.resolve("keygen.log")));
        }
    }

    /** The client configuration ({@code ssh -F}) that reaches this server. */
    public Path clientConfig() {
        return dir.resolve("ssh_config");
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        // The listener only: each connection's own sshd child ends with its connection (tests close theirs first).
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

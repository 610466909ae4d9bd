package procsh.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import procsh.core.Launcher;
import procsh.testing.Sshd;

/**
 * A real sshd on 127.0.0.1 for one test class ({@code @RegisterExtension static final AgentSshd SSHD}),
 * with procsh told to reach it ({@code ssh -F}) and to run this build's classes as the agent there;
 * the class is skipped with a message where there is no sshd. It also lends one connection to the
 * tests that do not test the connection itself ({@link #lend}), so each does not start an agent.
 */
final class AgentSshd implements BeforeAllCallback, AfterAllCallback {

    static final String HOST = "127.0.0.1";

    private Path dir;
    private Sshd server;
    private SshLauncher lent;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(Sshd.missing() == null, Sshd.missing());
        dir = Files.createTempDirectory("procsh-sshd-");
        server = Sshd.start(dir.resolve("sshd"));
        System.setProperty(SshConnection.CONFIG_PROPERTY, server.clientConfig().toString());
        System.setProperty(SshConnection.REMOTE_PROPERTY, agentCommand());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (lent != null) {
            lent.close();
            lent = null;
        }
        System.clearProperty(SshConnection.CONFIG_PROPERTY);
        System.clearProperty(SshConnection.REMOTE_PROPERTY);
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    Sshd server() {
        return server;
    }

    /** The class's shared connection, for a table: its close gives it back (see {@link BorrowedLauncher}). */
    Launcher lend() {
        return new BorrowedLauncher(lent());
    }

    /** The shared connection itself, made on first use. */
    synchronized SshLauncher lent() {
        if (lent == null) {
            lent = new SshLauncher(HOST);
        }
        return lent;
    }

    /** The shared agent's id, or null while none was lent: it runs for the whole class. */
    synchronized String lentAgentId() {
        return lent == null ? null : lent.agentId();
    }

    /** This JVM's java and class path: the agent is the code under test. */
    static String agentCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return Stream.of(java, "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "procsh.Main").map(w -> "'" + w.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}

package procsh.remote;

import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import procsh.testing.Sshd;

/**
 * A real sshd on 127.0.0.1 for one test class, with procsh told to reach it ({@code ssh -F}) and
 * to run this build's classes as the agent there. Skips the class with a message where there is no sshd.
 */
final class AgentSshd {

    private AgentSshd() {
    }

    static Sshd start(Path dir) throws Exception {
        Assumptions.assumeTrue(Sshd.missing() == null, Sshd.missing());
        Sshd sshd = Sshd.start(dir);
        System.setProperty(SshConnection.CONFIG_PROPERTY, sshd.clientConfig().toString());
        System.setProperty(SshConnection.REMOTE_PROPERTY, agentCommand());
        return sshd;
    }

    static void stop(Sshd sshd) {
        System.clearProperty(SshConnection.CONFIG_PROPERTY);
        System.clearProperty(SshConnection.REMOTE_PROPERTY);
        if (sshd != null) {
            sshd.close();
        }
    }

    /** This JVM's java and class path: the agent is the code under test. */
    static String agentCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return Stream.of(java, "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "procsh.Main").map(w -> "'" + w.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}

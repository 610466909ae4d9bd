package procsh.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import procsh.core.JobTable;
import procsh.groovy.ScriptRunner;
import procsh.testing.TableFixture;

/** scripts/on-hosts.groovy end to end, as {@code procsh scripts/on-hosts.groovy ...} runs it, against a real sshd. */
class OnHostsScriptTest {

    @RegisterExtension
    static final AgentSshd SSHD = new AgentSshd();

    @Test
    void eachHostsOutputAndEndAndOneLineForAHostNotReached(@TempDir Path temp) {
        JobTable table = TableFixture.open("native", temp);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new ScriptRunner(table, null).run(Path.of("scripts", "on-hosts.groovy"),
                List.of("echo up; exit 3", "127.0.0.1", "nosuchhost.invalid"), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).startsWith("nosuchhost.invalid: not reached: cannot reach nosuchhost.invalid: ")
                .contains("127.0.0.1: up\n127.0.0.1: exited 3\n")
                .endsWith("2 hosts: 0 succeeded, 2 did not: 127.0.0.1, nosuchhost.invalid\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withoutHostsItSaysHowToUseIt(@TempDir Path temp) {
        JobTable table = TableFixture.open("native", temp);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new ScriptRunner(table, null).run(Path.of("scripts", "on-hosts.groovy"), List.of("uptime"),
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("usage: procsh scripts/on-hosts.groovy COMMAND HOST...\n");
        assertThat(out.toString()).isEmpty();
    }
}

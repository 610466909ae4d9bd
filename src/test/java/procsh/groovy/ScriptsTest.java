package procsh.groovy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.core.JobTable;
import procsh.testing.TableFixture;

/** Every script in scripts/, run end to end as {@code procsh SCRIPT ARG...} runs it, with short parameters. */
class ScriptsTest {

    private static final Path SCRIPTS = Path.of("scripts");

    @TempDir
    Path temp;
    JobTable table;
    StringWriter out;
    StringWriter err;

    @BeforeEach
    void open() {
        table = TableFixture.open("native", temp);
        table.defaultGrace(Duration.ofSeconds(1));
    }

    @AfterEach
    void close() {
        assertThat(TableFixture.closeAndFindLeftovers(table)).as("processes left running").isEmpty();
    }

    int run(String script, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return new ScriptRunner(table, null).run(SCRIPTS.resolve(script), List.of(args), new PrintWriter(out, true),
                new PrintWriter(err, true));
    }

    @Test
    void everyScriptHasATestHere() throws IOException {
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".groovy")))
                    .containsExactlyInAnyOrder("fan-out.groovy", "watchdog.groovy", "graceful-shutdown.groovy", "deadline.groovy",
                            "on-hosts.groovy"); // on-hosts: procsh.remote.OnHostsScriptTest (it needs an sshd)
        }
    }

    @Test
    void fanOutReportsEachWorkerAndFailsWhenOneFailed() {
        assertThat(run("fan-out.groovy", "4", "0.2")).isEqualTo(1);
        assertThat(out.toString()).contains("started 4 workers: ")
                .containsPattern("worker-1 \\(pid \\d+\\) exited 0: done 1\n")
                .containsPattern("worker-3 \\(pid \\d+\\) exited 3\n")
                .endsWith("4 workers ended, 1 failed: worker-3\n");
        assertThat(err.toString()).isEmpty();
        assertThat(run("fan-out.groovy", "2", "0")).isZero();
        assertThat(out.toString()).endsWith("2 workers ended, 0 failed\n");
    }

    @Test
    void watchdogRestartsWithBackoffAndGivesUp() {
        assertThat(run("watchdog.groovy", "3", "50ms")).isEqualTo(1);
        assertThat(out.toString()).contains("crash 1 of 3: exited 3 (crashed); restarting in 50ms")
                .contains("crash 2 of 3: exited 3 (crashed); restarting in 100ms")
                .endsWith("crash 3 of 3: exited 3 (crashed); giving up\n");
        assertThat(table.jobs()).hasSize(3);
    }

    @Test
    void watchdogStopsAfterACleanExit() {
        // Fails on its first run, succeeds on the second: one restart, then a clean exit.
        assertThat(run("watchdog.groovy", "3", "10ms", "sh", "-c", "[ -e ran ] || { touch ran; exit 7; }")).isZero();
        assertThat(out.toString()).contains("crash 1 of 3: exited 7; restarting in 10ms").contains("clean exit after");
        assertThat(table.jobs()).hasSize(2);
    }

    @Test
    void gracefulShutdownSaysWhatNeededKill() {
        assertThat(run("graceful-shutdown.groovy", "300ms")).isZero();
        assertThat(out.toString()).containsPattern("service tree: \\d+ sh -c sleep 300 & .* & wait(, \\d+ (sh|sleep)){3}\n")
                .containsPattern("needed SIGKILL: \\d+ (sh|sleep), \\d+ sleep\n")
                .contains("service: killed by SIGTERM (-15), sent by you; needed SIGKILL after the grace period")
                .endsWith("nothing left running\n");
    }

    @Test
    void deadlinePassesTheStatusOnOrSays124() {
        assertThat(run("deadline.groovy", "200ms", "sleep", "10")).isEqualTo(124);
        assertThat(err.toString()).isEqualTo("sleep 10: deadline of 200ms passed; killed by SIGTERM (-15), sent by you\n");
        assertThat(run("deadline.groovy", "5s", "sh", "-c", "exit 3")).isEqualTo(3);
        assertThat(out.toString()).isEqualTo("sh -c exit 3: exited 3\n");
        assertThat(run("deadline.groovy", "5s", "sh", "-c", "kill -USR1 $$")).isEqualTo(138);
    }
}

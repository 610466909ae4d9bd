package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.os.ProcFs;
import procsh.testing.Leftovers;
import procsh.testing.TableFixture;

/**
 * Once a job is reaped its PID, and so its process group id, may be another process's. The PID is
 * handed out again on purpose here (through /proc/sys/kernel/ns_last_pid, which needs
 * CAP_SYS_ADMIN: skipped without it), to a stranger that leads a group of its own with a child in
 * it: nothing of that group is the ended job's, to report or to signal.
 */
class PidReuseTest {

    private static final Path LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");

    @TempDir
    Path temp;
    JobTable table;
    Process stranger;

    @BeforeEach
    void open() {
        Assumptions.assumeTrue(Files.isWritable(LAST_PID) && canSetLastPid(), "skipped: cannot hand out a chosen PID here (needs CAP_SYS_ADMIN)");
        table = TableFixture.open("native", temp);
    }

    private static boolean canSetLastPid() {
        try {
            Files.writeString(LAST_PID, Files.readString(LAST_PID).strip());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @AfterEach
    void close() {
        if (stranger != null) {
            stranger.descendants().forEach(ProcessHandle::destroyForcibly);
            stranger.destroyForcibly();
        }
        if (table != null) {
            assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
        }
    }

    @Test
    void aStrangerWithTheEndedJobsPidIsNeitherReportedNorSignalled() throws Exception {
        Job job = null;
        // Another thread or process may take the PID between the write and the start: tried a few times.
        for (int attempt = 0; attempt < 10 && stranger == null; attempt++) {
            job = table.spawn(SpawnRequest.of("true"));
            table.waitFor(job, Duration.ofSeconds(10));
            Files.writeString(LAST_PID, Long.toString(job.pid() - 1));
            Process p = new ProcessBuilder("setsid", "sh", "-c", "sleep 30 & wait").start();
            if (p.pid() == job.pid()) {
                stranger = p;
            } else {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
            }
        }
        Assumptions.assumeTrue(stranger != null, "skipped: the PID was taken by another process each time");
        Job ended = job;
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcFs.group(ended.pid()).size() == 2); // the stranger and its sleep
        long child = ProcFs.group(ended.pid()).stream().filter(s -> s.pid() != ended.pid()).findFirst().orElseThrow().pid();
        assertThat(table.remaining(ended)).isEmpty();
        assertThatThrownBy(() -> table.kill(ended)).isInstanceOf(ProcshException.class).hasMessageContaining("has already ended");
        table.stop(ended, Duration.ofMillis(200));
        assertThat(Leftovers.alive(child)).isTrue();
        assertThat(stranger.isAlive()).isTrue();
    }
}

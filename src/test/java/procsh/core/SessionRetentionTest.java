package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Old session directories are removed at start; anything that may still be in use is not. */
class SessionRetentionTest {

    @TempDir
    Path base;

    private static final Instant NOW = Instant.now();
    private static final Instant OLD = NOW.minus(Duration.ofDays(10));

    /** A pid no process has now. */
    private static long deadPid() {
        for (long pid = 4_000_000; ; pid--) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return pid;
            }
        }
    }

    private Path session(String name, Instant touched, String... files) throws Exception {
        Path dir = Files.createDirectory(base.resolve(name));
        for (String f : files) {
            Files.setLastModifiedTime(Files.writeString(dir.resolve(f), "output\n"), FileTime.from(touched));
        }
        Files.setLastModifiedTime(dir, FileTime.from(touched));
        return dir;
    }

    @Test
    void oldSessionsOfDeadProcshWithNoLiveJobAreDeletedAndNothingElse() throws Exception {
        long dead = deadPid();
        Path gone = session("20261101-101010-" + dead, OLD, "1.out", "1.err", "1.out.1");
        Path goneToo = session("20261101-101010-" + dead + "-2.3", OLD, "2.out");
        Path young = session("20261130-101010-" + dead, NOW.minus(Duration.ofDays(1)), "1.out");
        Path stillWriting = session("20261101-111111-" + dead, OLD, "1.out");
        Files.setLastModifiedTime(stillWriting.resolve("1.out"), FileTime.from(NOW));
        Path procshRuns = session("20261101-121212-" + ProcessHandle.current().pid(), OLD, "1.out");
        Path current = session("20261101-131313-" + dead, OLD);
        Path notASession = session("my-notes", OLD, "x");
        Path history = Files.writeString(base.resolve("history"), "spawn sleep 1\n");
        Path victim = Files.writeString(base.resolve("victim"), "keep me\n");
        Files.createSymbolicLink(gone.resolve("link"), victim);
        Files.setLastModifiedTime(gone, FileTime.from(OLD));

        List<Path> deleted = SessionRetention.sweep(base, Duration.ofDays(7), current.getFileName().toString(), NOW);

        assertThat(deleted).containsExactlyInAnyOrder(gone, goneToo);
        assertThat(gone).doesNotExist();
        assertThat(goneToo).doesNotExist();
        assertThat(List.of(young, stillWriting, procshRuns, current, notASession, history)).allMatch(Files::exists);
        assertThat(victim).hasContent("keep me");
    }

    @Test
    void anOldSessionWithALiveJobIsKept() throws Exception {
        long dead = deadPid();
        Path session = session("20261101-101010-" + dead, OLD, "1.out");
        ProcessBuilder pb = new ProcessBuilder("sleep", "30");
        pb.environment().put(JobTable.MARKER, session.getFileName() + ":1");
        Process job = pb.start();
        try {
            assertThat(SessionRetention.sweep(base, Duration.ofDays(7), "none", NOW)).isEmpty();
            assertThat(session).exists();
        } finally {
            job.destroyForcibly().waitFor();
        }
        assertThat(SessionRetention.sweep(base, Duration.ofDays(7), "none", NOW)).containsExactly(session);
    }

    @Test
    void theRetentionIsReadFromTheEnvironment() {
        StringBuilder warned = new StringBuilder();
        assertThat(SessionRetention.configured(Map.of(), warned::append)).isEqualTo(Duration.ofDays(7));
        assertThat(SessionRetention.configured(Map.of("PROCSH_KEEP_SESSIONS", "30d"), warned::append)).isEqualTo(Duration.ofDays(30));
        assertThat(SessionRetention.configured(Map.of("PROCSH_KEEP_SESSIONS", "off"), warned::append)).isNull();
        assertThat(warned).isEmpty();
        assertThat(SessionRetention.configured(Map.of("PROCSH_KEEP_SESSIONS", "lots"), warned::append)).isEqualTo(Duration.ofDays(7));
        assertThat(warned.toString()).contains("PROCSH_KEEP_SESSIONS=lots is not a duration");
    }
}

package procsh.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.testing.ProcshProcess;

/** What procsh leaves in its state directory from run to run: no session directory for a run without jobs, no old ones. */
class StateDirectoryLifeTest {

    @TempDir
    Path temp;

    private Path oldSession() throws Exception {
        Path base = Files.createDirectories(temp.resolve("state/procsh"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
        long dead = 4_000_000;
        while (ProcessHandle.of(dead).isPresent()) {
            dead--;
        }
        Path old = Files.createDirectory(base.resolve("20261101-101010-" + dead));
        Instant tenDaysAgo = Instant.now().minus(Duration.ofDays(10));
        Files.setLastModifiedTime(Files.writeString(old.resolve("1.out"), "old output\n"), FileTime.from(tenDaysAgo));
        Files.setLastModifiedTime(old, FileTime.from(tenDaysAgo));
        return old;
    }

    private List<Path> sessions() throws Exception {
        try (Stream<Path> s = Files.list(temp.resolve("state/procsh"))) {
            return s.filter(Files::isDirectory).toList();
        }
    }

    @Test
    void aRunWithoutJobsLeavesNoSessionDirectoryAndOldOnesAreCleaned() throws Exception {
        Path old = oldSession();
        ProcshProcess.Run run = ProcshProcess.run(temp, Map.of(), "-c", "help");
        assertThat(run.status()).isZero();
        assertThat(old).doesNotExist();
        assertThat(sessions()).isEmpty();

        run = ProcshProcess.run(temp, Map.of(), "-c", "spawn true", "-c", "wait 1");
        assertThat(run.status()).isZero();
        assertThat(sessions()).hasSize(1);
    }

    @Test
    void retentionCanBeTurnedOff() throws Exception {
        Path old = oldSession();
        ProcshProcess.Run run = ProcshProcess.run(temp, Map.of("PROCSH_KEEP_SESSIONS", "off".getBytes(StandardCharsets.US_ASCII)),
                "-c", "help");
        assertThat(run.status()).isZero();
        assertThat(old).exists();
    }

    @Test
    void ctrlCStopsWhatProcshUpStartedAndItSaysSo() throws Exception {
        Files.writeString(temp.resolve("Procfile"), "a: echo a up; exec sleep 30\nb: echo b up; exec sleep 30\n");
        Process procsh = ProcshProcess.start(temp, Map.of(), "up");
        Path out = temp.resolve("out.txt");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> Files.readString(out).contains("a | a up") && Files.readString(out).contains("b | b up"));
        new ProcessBuilder("kill", "-INT", Long.toString(procsh.pid())).start().waitFor();
        assertThat(procsh.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(procsh.exitValue()).isEqualTo(130);
        assertThat(Files.readString(out)).contains("Ctrl-C: stopping a, b", "[1] a killed by SIGTERM (-15), sent by you",
                "[2] b killed by SIGTERM (-15), sent by you");
    }

    @Test
    void procshUpRunsAProcfileFromTheShell() throws Exception {
        Files.writeString(temp.resolve("Procfile"), "hello: echo \"hi from $PORT\"; exit 3\n");
        ProcshProcess.Run run = ProcshProcess.run(temp, Map.of(), "up", "--port", "7000");
        assertThat(run.out()).contains("hello | hi from 7000", "[1] hello exited 3: stopping the others");
        assertThat(run.status()).isEqualTo(3);
    }
}

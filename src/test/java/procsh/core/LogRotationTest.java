package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.testing.TableFixture;

/** Log caps: a job's output is rotated while it writes, and no line is lost to a rotation. */
class LogRotationTest {

    /** ~2.2 MB of numbered lines from a shell loop (~0.6 s): slow enough that rotations happen while it writes. */
    private static final int LINES = 200_000;
    private static final String WRITER = writer(LINES);

    private static String writer(int lines) {
        return "i=0; while [ $i -lt " + lines + " ]; do echo \"line $i\"; i=$((i+1)); done";
    }

    @TempDir
    Path temp;
    JobTable table;

    @BeforeEach
    void open() {
        table = TableFixture.open("auto", temp);
    }

    @AfterEach
    void close() {
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
    }

    @Test
    void aFollowerSeesEveryLineWhileTheLogIsRotatedUnderIt() throws Exception {
        // A small cap against ~3 MB/s: each rotation would drop bytes the follower has not read yet,
        // unless it keeps them for it.
        int lines = 300_000;
        Job job = table.spawn(SpawnRequest.of("sh", "-c", writer(lines)).logMax(16 << 10));
        List<String> seen = new ArrayList<>();
        CompletableFuture<Void> follower = follow(job, seen);
        table.waitFor(job, Duration.ofSeconds(60));
        follower.get();
        assertThat(job.output().rotations(OutputChannel.STDOUT)).as("rotations while it wrote").isGreaterThanOrEqualTo(2);
        // Following starts at the end as it was (tail -f -n 0); from there every line, in order.
        int first = Integer.parseInt(seen.get(0).substring("line ".length()));
        assertThat(seen).hasSize(lines - first);
        for (int i = 0; i < seen.size(); i++) {
            if (!seen.get(i).equals("line " + (first + i))) {
                assertThat(seen.get(i)).as("line %d seen by the follower", i).isEqualTo("line " + (first + i));
            }
        }
    }

    @Test
    void aPtyJobsLogIsCappedToo() throws Exception {
        // Written by procsh's pump (appending), not by the job: rotation works the same under it.
        Job job = table.spawn(SpawnRequest.of("sh", "-c", "i=0; while [ $i -lt 30 ]; do head -c 20000 /dev/zero | tr '\\0' x; echo; sleep 0.05; i=$((i+1)); done; echo END")
                .logMax(64 << 10).terminal());
        table.waitFor(job, Duration.ofSeconds(30));
        JobOutput out = job.output();
        await().atMost(Duration.ofSeconds(5)).until(() -> out.size(OutputChannel.STDOUT) <= (64 << 10));
        assertThat(out.rotations(OutputChannel.STDOUT)).isPositive();
        assertThat(out.written(OutputChannel.STDOUT)).isEqualTo(30 * 20_002L + 5);
        assertThat(out.tail(OutputChannel.STDOUT, 1)).containsExactly("END\r");
    }

    @Test
    void whatIsKeptIsTheNewestOutputWholeAndTheRestIsCountedAsDropped() throws Exception {
        Job job = table.spawn(SpawnRequest.of("sh", "-c", WRITER).logMax(64 << 10));
        table.waitFor(job, Duration.ofSeconds(60));
        JobOutput out = job.output();
        // The end is followed by a last rotation, off the reaping thread.
        await().atMost(Duration.ofSeconds(5)).until(() -> out.size(OutputChannel.STDOUT) <= (64 << 10));
        long written = expectedBytes();
        assertThat(out.written(OutputChannel.STDOUT)).isEqualTo(written);
        assertThat(out.dropped(OutputChannel.STDOUT) + out.kept(OutputChannel.STDOUT)).isEqualTo(written);
        assertThat(out.dropped(OutputChannel.STDOUT)).isPositive();

        String kept = Files.readString(out.rotatedFile(OutputChannel.STDOUT)) + Files.readString(out.file(OutputChannel.STDOUT));
        assertThat(kept).endsWith("line " + (LINES - 1) + "\n");
        // The kept bytes are one unbroken stretch of the job's output: its last lines, in order.
        List<String> lines = List.of(kept.split("\n"));
        int last = LINES - 1;
        for (int i = lines.size() - 1; i > 0; i--) {
            assertThat(lines.get(i)).isEqualTo("line " + (last - (lines.size() - 1 - i)));
        }
        assertThat(out.tail(OutputChannel.STDOUT, 3)).containsExactly("line 199997", "line 199998", "line 199999");
        assertThat(out.tail(OutputChannel.STDOUT, LINES)).hasSizeLessThan(LINES).last().isEqualTo("line 199999");
        List<String> streamed = new ArrayList<>();
        out.eachLine(OutputChannel.STDOUT, streamed::add);
        assertThat(streamed).hasSize(lines.size()).last().isEqualTo("line 199999");
    }

    /** Follows the job's stdout from its end as it is now (tail -f -n 0) until it ends, into {@code seen}. */
    private static CompletableFuture<Void> follow(Job job, List<String> seen) {
        return CompletableFuture.runAsync(() -> {
            try {
                job.output().follow(Set.of(OutputChannel.STDOUT), 0, (c, line) -> seen.add(line), job::hasEnded);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static long expectedBytes() {
        long bytes = 0;
        for (int i = 0; i < LINES; i++) {
            bytes += ("line " + i + "\n").getBytes(StandardCharsets.US_ASCII).length;
        }
        return bytes;
    }

    @Test
    void whereAFileCannotBeCutInPlaceItsFrontIsFreedAndNothingIsLost() throws Exception {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm) && "tmpfs".equals(Files.getFileStore(shm).type()),
                "needs a tmpfs at /dev/shm");
        Path dir = Files.createTempDirectory(shm, "procsh-test");
        JobTable onTmpfs = TableFixture.open("auto", dir);
        try {
            int lines = 200_000;
            Job job = onTmpfs.spawn(SpawnRequest.of("sh", "-c", writer(lines)).logMax(64 << 10));
            List<String> seen = new ArrayList<>();
            CompletableFuture<Void> follower = follow(job, seen);
            onTmpfs.waitFor(job, Duration.ofSeconds(60));
            follower.get();
            JobOutput out = job.output();
            await().atMost(Duration.ofSeconds(5)).until(() -> out.size(OutputChannel.STDOUT) <= (64 << 10));
            assertThat(out.capProblem()).isNull();
            assertThat(out.rotations(OutputChannel.STDOUT)).isPositive();
            int first = Integer.parseInt(seen.get(0).substring("line ".length()));
            assertThat(seen).hasSize(lines - first);
            assertThat(seen.get(seen.size() - 1)).isEqualTo("line " + (lines - 1));
            assertThat(out.tail(OutputChannel.STDOUT, 2)).containsExactly("line 199998", "line 199999");
            // The live file keeps its length (the front is a hole) but holds only its last blocks.
            Path live = out.file(OutputChannel.STDOUT);
            assertThat(Files.size(live)).isEqualTo(out.written(OutputChannel.STDOUT));
            long allocated = Long.parseLong(new String(new ProcessBuilder("stat", "-c", "%b", live.toString()).start()
                    .getInputStream().readAllBytes()).strip()) * 512;
            assertThat(allocated).isLessThanOrEqualTo(2 * (64 << 10));
        } finally {
            assertThat(TableFixture.closeAndFindLeftovers(onTmpfs)).isEmpty();
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aLogOfWholeBlocksIsRotatedToo() throws Exception {
        // 32 blocks exactly: a collapse may not reach the end of the file, so one block stays.
        Job job = table.spawn(SpawnRequest.of("head", "-c", "131072", "/dev/zero").logMax(64 << 10));
        table.waitFor(job, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> job.output().rotations(OutputChannel.STDOUT) == 1);
        assertThat(job.output().capProblem()).isNull();
        assertThat(job.output().size(OutputChannel.STDOUT)).isEqualTo(4096);
        assertThat(job.output().written(OutputChannel.STDOUT)).isEqualTo(131072);
    }

    @Test
    void aStreamUnderItsCapIsNeverRotated() throws Exception {
        Job job = table.spawn(SpawnRequest.of("sh", "-c", "seq 1 1000"));
        table.waitFor(job, Duration.ofSeconds(10));
        assertThat(job.output().rotations(OutputChannel.STDOUT)).isZero();
        assertThat(job.output().lines(OutputChannel.STDOUT)).hasSize(1000);
        assertThat(job.output().rotatedFile(OutputChannel.STDOUT)).doesNotExist();
    }

    @Test
    void aScriptIsToldToTailOrStreamAHugeLogInsteadOfReadingItWhole() throws Exception {
        Job job = table.spawn(SpawnRequest.of("head", "-c", "17M", "/dev/zero").logMax(0));
        table.waitFor(job, Duration.ofSeconds(10));
        assertThatThrownBy(() -> job.output().text(OutputChannel.STDOUT))
                .hasMessageContaining("17 MB").hasMessageContaining("tail(n)").hasMessageContaining("eachLine");
    }

    @Test
    void rmAndCleanDeleteTheLogFiles() throws Exception {
        Job a = table.spawn(SpawnRequest.of("sh", "-c", "echo a; echo b >&2"));
        Job b = table.spawn(SpawnRequest.of("echo", "b"));
        table.waitFor(List.of(a, b), Duration.ofSeconds(10), false);
        Path aOut = a.output().file(OutputChannel.STDOUT);
        Path aErr = a.output().file(OutputChannel.STDERR);
        Path bOut = b.output().file(OutputChannel.STDOUT);
        assertThat(aOut).exists();
        table.remove(a);
        assertThat(aOut).doesNotExist();
        assertThat(aErr).doesNotExist();
        table.clean();
        assertThat(bOut).doesNotExist();
    }
}

package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.testing.TableFixture;

/** Restart policies against real processes: who is restarted, how often, and what ends it. */
class RestartPolicyTest {

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

    private static RestartPolicy quick(RestartPolicy.Mode mode, int max) {
        return RestartPolicy.of(mode).maxRestarts(max).backoff("20ms..80ms");
    }

    private Job spawn(RestartPolicy policy, String... argv) {
        return table.spawn(SpawnRequest.of(argv).restart(policy));
    }

    @Test
    void onFailureGivesUpAfterMaxRestartsInARowAndEndsAsTheLastRunDid() throws Exception {
        List<String> restarting = new java.util.concurrent.CopyOnWriteArrayList<>();
        table.addListener(new JobListener() {
            @Override
            public void jobEnded(Job j) {
            }

            @Override
            public void jobRestarting(Job j, Ending run, Duration delay) {
                restarting.add(run.describe() + " " + delay.toMillis());
            }
        });
        Job job = spawn(quick(RestartPolicy.Mode.ON_FAILURE, 3), "sh", "-c", "echo run; exit 3");
        WaitResult r = table.waitFor(job, Duration.ofSeconds(10));
        assertThat(r.timedOut()).isFalse();
        assertThat(job.restarts()).isEqualTo(3);
        assertThat(job.ending().describe()).isEqualTo("exited 3");
        // Every run wrote to the same log; the backoff doubled each time.
        assertThat(job.output().lines(OutputChannel.STDOUT)).containsExactly("run", "run", "run", "run");
        await().atMost(Duration.ofSeconds(2)).until(() -> restarting.size() == 3);
        assertThat(restarting).containsExactly("exited 3 20", "exited 3 40", "exited 3 80");
    }

    @Test
    void onFailureStopsRestartingOnceARunSucceeds() throws Exception {
        Path count = temp.resolve("count");
        Job job = spawn(quick(RestartPolicy.Mode.ON_FAILURE, RestartPolicy.UNLIMITED), "sh", "-c",
                "n=$(cat " + count + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + count + "; [ $n -ge 3 ]");
        table.waitFor(job, Duration.ofSeconds(10));
        assertThat(job.ending().describe()).isEqualTo("exited 0");
        assertThat(job.restarts()).isEqualTo(2);
        assertThat(Files.readString(count).strip()).isEqualTo("3");
    }

    @Test
    void alwaysRestartsEvenAfterSuccessAndAKillFromTheUserStartsANewRun() throws Exception {
        Job job = spawn(quick(RestartPolicy.Mode.ALWAYS, RestartPolicy.UNLIMITED), "sleep", "30");
        long first = job.pid();
        table.kill(job);
        await().atMost(Duration.ofSeconds(5)).until(() -> job.restarts() == 1 && job.state() == JobState.RUNNING);
        assertThat(job.pid()).isNotEqualTo(first);
        assertThat(job.lastRun().describe()).isEqualTo("killed by SIGKILL (-9), sent by you");
        assertThat(job.hasEnded()).isFalse();
        // stop ends the policy: the job ends for good, killed by the stop's SIGTERM.
        StopReport report = table.stop(job, Duration.ofSeconds(2));
        assertThat(report.survivors()).isEmpty();
        assertThat(job.ending().describe()).isEqualTo("killed by SIGTERM (-15), sent by you");
        assertThat(job.restarts()).isEqualTo(1);
    }

    @Test
    void aStopBetweenRunsEndsTheJobAtOnceAsItsLastRunEnded() throws Exception {
        Job job = spawn(RestartPolicy.of(RestartPolicy.Mode.ON_FAILURE).backoff("30s"), "sh", "-c", "exit 4");
        await().atMost(Duration.ofSeconds(5)).until(() -> job.state() == JobState.BACKOFF);
        assertThat(table.poll(job)).isEqualTo("backoff");
        assertThatThrownBy(() -> table.kill(job)).hasMessageContaining("job 1 is between runs (restart 1 in ")
                .hasMessageContaining("stop 1 ends its restarts");
        long before = System.nanoTime();
        table.stop(job, Duration.ofSeconds(2));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        assertThat(job.ending().describe()).isEqualTo("exited 4");
        assertThat(job.restarts()).isZero();
        assertThat(job.restartAt()).isNull();
    }

    @Test
    void aTimeoutEndsTheRestartsToo() throws Exception {
        Job job = table.spawn(SpawnRequest.of("sleep", "30").restart(quick(RestartPolicy.Mode.ALWAYS, RestartPolicy.UNLIMITED))
                .timeout(Duration.ofMillis(300)).grace(Duration.ofSeconds(1)));
        table.waitFor(job, Duration.ofSeconds(10));
        assertThat(job.ending().describe()).isEqualTo("killed by SIGTERM (-15), sent by the time limit");
        assertThat(job.restarts()).isZero();
    }

    @Test
    void aProgramThatVanishesBetweenRunsEndsTheJobWithTheReason() throws Exception {
        Path script = temp.resolve("fails.sh");
        Files.writeString(script, "#!/bin/sh\nexit 1\n");
        script.toFile().setExecutable(true);
        Job job = spawn(RestartPolicy.of(RestartPolicy.Mode.ON_FAILURE).backoff("300ms"), script.toString());
        await().atMost(Duration.ofSeconds(5)).until(() -> job.state() == JobState.BACKOFF);
        Files.delete(script);
        table.waitFor(job, Duration.ofSeconds(10));
        assertThat(job.ending().describe()).isEqualTo("exited 1");
        assertThat(job.restartFailure()).isNotBlank();
    }

    @Test
    void policiesAndBackoffsAreSpelledAsOnTheCommandLine() {
        assertThat(RestartPolicy.Mode.parse("on-failure")).isEqualTo(RestartPolicy.Mode.ON_FAILURE);
        assertThat(RestartPolicy.of(RestartPolicy.Mode.ALWAYS).backoff("1s..30s").describe())
                .isEqualTo("always (no limit, backoff 1s..30s)");
        assertThat(RestartPolicy.of(RestartPolicy.Mode.ON_FAILURE).maxRestarts(5).backoff("2s").describe())
                .isEqualTo("on-failure (max 5, backoff 2s)");
        assertThatThrownBy(() -> RestartPolicy.Mode.parse("sometimes")).hasMessageContaining("on-failure, always or no");
        assertThatThrownBy(() -> RestartPolicy.of(RestartPolicy.Mode.ALWAYS).backoff("30s..1s")).hasMessageContaining("1s..30s");
        RestartPolicy p = RestartPolicy.of(RestartPolicy.Mode.ALWAYS).backoff("1s..30s");
        assertThat(List.of(p.delay(0), p.delay(1), p.delay(4), p.delay(5), p.delay(60)))
                .extracting(Duration::toMillis).containsExactly(1000L, 2000L, 16000L, 30000L, 30000L);
    }
}

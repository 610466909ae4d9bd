package procsh.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import procsh.core.Job;
import procsh.core.JobState;
import procsh.core.OutputChannel;

/** Restart policies, log caps and merged logs as a user types them. */
class SupervisorCommandsTest extends ShellFixture {

    @Test
    void aRestartPolicyShowsInListInfoAndWait() throws Exception {
        assertThat(run("spawn --name flaky --restart on-failure --max-restarts 2 --backoff 20ms..40ms sh -c 'echo try; exit 2'")).isZero();
        assertThat(run("wait flaky --timeout 10s")).isEqualTo(2);
        assertThat(run("list")).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).matches("ID +NAME +PID +STATE +\u21ba +EXIT +TIME.*");
        assertThat(lines.get(1)).matches(" *1 +flaky +\\d+ +exited +2 +2 .*");
        run("info flaky");
        assertThat(out.toString()).containsPattern("restart +on-failure \\(max 2, backoff 20ms\\.\\.40ms\\)")
                .containsPattern("restarts +2  \\(first run started ").containsPattern("last run +exited 2");
        run("logs flaky --stdout");
        assertThat(out.toString()).isEqualTo("try\ntry\ntry\n");
        run("list --json");
        assertThat(out.toString()).contains("\"restarts\":2");
    }

    @Test
    void aJobBetweenRunsShowsBackoffAndStopEndsIt() throws Exception {
        run("spawn --restart always --backoff 30s sh -c 'exit 0'");
        Job job = table.get(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> job.state() == JobState.BACKOFF);
        assertThat(run("poll 1")).isZero();
        assertThat(out.toString()).isEqualTo("[1] backoff\n");
        assertThat(run("kill 1")).isEqualTo(1);
        assertThat(err.toString()).contains("is between runs").contains("stop 1 ends its restarts");
        assertThat(run("stop 1")).isZero();
        assertThat(out.toString()).startsWith("[1] exited 0");
    }

    @Test
    void badPolicyAndSizeOptionsGetOneLineEach() throws Exception {
        assertThat(run("spawn --restart sometimes sleep 1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("spawn: bad restart policy 'sometimes': use on-failure, always or no\n");
        assertThat(run("spawn --max-restarts 3 sleep 1")).isEqualTo(1);
        assertThat(err.toString()).contains("--max-restarts and --backoff go with --restart");
        assertThat(run("spawn --restart always --backoff 9s..1s sleep 1")).isEqualTo(1);
        assertThat(err.toString()).contains("1s..30s");
        assertThat(run("spawn --log-max lots sleep 1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("spawn: bad size 'lots': write it like 64K, 100M, 1G or a number of bytes\n");
        assertThat(table.jobs()).isEmpty();
    }

    @Test
    void logsSaysWhenTheCapDroppedWhatWasAskedFor() throws Exception {
        run("spawn --log-max 8K sh -c 'seq 1 20000'");
        run("wait 1");
        Job job = table.get(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> job.output().dropped(OutputChannel.STDOUT) > 0);
        run("logs 1 --stdout -n 3");
        assertThat(out.toString()).isEqualTo("19998\n19999\n20000\n");
        run("logs 1 --stdout -n 100000");
        assertThat(out.toString()).endsWith("20000\n(" + Sizes.human(job.output().dropped(OutputChannel.STDOUT))
                + " of earlier stdout was dropped by the log cap of 8.0K; --log-max at spawn sets it)\n");
        run("info 1");
        assertThat(out.toString()).contains("dropped; cap 8.0K)");
    }

    @Test
    void severalJobsAreOneStreamWithNamesInFront() throws Exception {
        run("spawn --name web sh -c 'echo w1; echo w2'");
        run("spawn sh -c 'echo other; echo oops >&2'");
        run("wait");
        assertThat(run("logs web 2")).isZero();
        assertThat(out.toString()).isEqualTo("web | w1\nweb | w2\n2   | other\n2   | oops\n");
        assertThat(run("logs --all -n 1 --stdout")).isZero();
        assertThat(out.toString()).isEqualTo("web | w2\n2   | other\n");
        assertThat(run("logs -f web 2 -n 1 --stdout")).isZero();
        assertThat(out.toString()).isEqualTo("web | w2\n2   | other\n");
        assertThat(run("logs")).isEqualTo(1);
        assertThat(err.toString()).contains("give its id or name");
        assertThat(run("logs --raw 1 2")).isEqualTo(1);
        assertThat(err.toString()).contains("--raw shows one job's bytes");
    }
}

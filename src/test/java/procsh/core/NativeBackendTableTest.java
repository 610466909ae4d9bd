package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import procsh.os.OsSignals;

/** The contract on the native (posix_spawn + pidfd) backend, plus what only it can tell. */
class NativeBackendTableTest extends JobTableContract {

    @Override
    String backend() {
        return "native";
    }

    @Test
    void aSigkillFromOutsideProcshIsToldApartFromExit137() throws Exception {
        Job exits = spawn("sh", "-c", "exit 137");
        Job killed = spawn("sleep", "30");
        OsSignals.kill(killed.pid(), procsh.os.Signals.os().require("KILL"));
        assertThat(waitEnd(exits).describe()).isEqualTo("exited 137");
        assertThat(waitEnd(killed).describe()).isEqualTo("killed by SIGKILL (-9), from outside procsh");
        assertThat(killed.ending().returncode()).isEqualTo(-9);
        assertThat(killed.ending().shellStatus()).isEqualTo(137);
    }

    @Test
    void aCoreDumpIsReported() throws Exception {
        Job job = table.spawn(SpawnRequest.of("sh", "-c", "ulimit -c unlimited 2>/dev/null; kill -SEGV $$"));
        Ending ending = waitEnd(job);
        assertThat(ending.signal().name()).isEqualTo("SIGSEGV");
        assertThat(ending.describe()).startsWith("killed by SIGSEGV (-11)").endsWith("from outside procsh");
    }

    @Test
    void aJobEndedButNotYetSeenIsNotSignalledAfterItsEnd() throws Exception {
        Job job = spawn("true");
        waitEnd(job);
        assertThatThrownBy(() -> table.signal(job, table.signal("TERM"), Scope.PROCESS, Sender.USER))
                .hasMessageContaining("already ended");
        assertThat(table.waitFor(job, Duration.ZERO).timedOut()).isFalse();
    }

    @Test
    void pidfdsAreKeptOutOfTheDescriptorTableThatSpawnsCopy() throws Exception {
        assertThat(((procsh.os.NativeBackend) table.backend()).pidfdsKeptApart()).isTrue();
        java.util.List<Job> sleepers = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sleepers.add(spawn("sleep", "30"));
        }
        // /proc/self/fd lists the table the JVM's threads share, the one every spawn copies into its child.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(descriptors("anon_inode:[pidfd]")).as("pidfds in the shared table").isZero());
        sleepers.forEach(table::kill);
        assertThat(table.waitFor(sleepers, Duration.ofSeconds(10), false).ended()).hasSize(20);
        assertThat(sleepers).allSatisfy(j -> assertThat(j.ending().describe()).isEqualTo("killed by SIGKILL (-9), sent by you"));
    }

    @Test
    void aStdinPipeIsClosedWhenTheJobEndsUnwatched() throws Exception {
        long pipesBefore = descriptors("pipe:");
        java.util.List<Job> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(table.spawn(SpawnRequest.of("sh", "-c", "read line; echo got $line").stdin(true)));
        }
        assertThat(descriptors("pipe:")).isEqualTo(pipesBefore + 10);
        jobs.forEach(j -> table.send(j, "hi\n"));
        // Nobody waits on them: the reaper reaps them, and their pipes go with them.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jobs.stream().allMatch(Job::hasEnded));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(descriptors("pipe:")).isEqualTo(pipesBefore));
        assertThat(jobs.get(0).output().tail(OutputChannel.STDOUT, 1)).containsExactly("got hi");
    }

    @Test
    void aJobWaitedOnUntilATimeoutIsStillSeenToEndByTheReaper() throws Exception {
        Job job = spawn("sleep", "30");
        // The waiter takes the job from the reaper while it waits, and must hand it back when it gives up.
        for (int i = 0; i < 3; i++) {
            assertThat(table.waitFor(job, Duration.ofMillis(60)).timedOut()).isTrue();
        }
        OsSignals.kill(job.pid(), procsh.os.Signals.os().require("TERM"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(job::hasEnded);
        assertThat(job.ending().describe()).isEqualTo("killed by SIGTERM (-15), from outside procsh");
    }

    @Test
    void pollReapsAJobThatHasEndedAndTellsItsEndAtOnce() throws Exception {
        Job job = spawn("sh", "-c", "exit 3");
        // Caught as a zombie, before the reaper's batch picks it up: poll itself must reap it, as Python's does.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (procsh.os.ProcFs.state(job.pid()) != 'Z' && job.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(table.poll(job)).isEqualTo("exited 3");
        assertThat(job.ending().returncode()).isEqualTo(3);
    }

    @Test
    void aPollJustAfterTheReaperReapedSaysEndedNotRunning() throws Exception {
        // The reaper reaps, then reports through a queue: a poll in between once said "running"
        // for a process already gone (seen in CI). Gone from /proc means reaped by somebody.
        for (int i = 0; i < 100; i++) {
            Job job = spawn("true");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (procsh.os.ProcFs.state(job.pid()) != 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(table.poll(job)).as("poll of job %d, its process reaped", job.id()).isEqualTo("exited 0");
        }
    }

    @Test
    void jobsWhoseWaitTimesOutAreStillSeenToEnd() throws Exception {
        // A waiter that gives up (before or just as the job ends) must leave it watched: else it
        // stays a zombie, "running" for ever to everything that does not poll it.
        java.util.Random random = new java.util.Random(42);
        java.util.List<Job> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Job job = spawn("sleep", "0.006");
            Thread.sleep(3); // adopted by the reaper first: the waiter then takes it over
            jobs.add(spawn("true")); // wakes the reaper during the wait, so it lets go of the job
            table.waitFor(job, Duration.ofNanos(1_000_000 + random.nextInt(4_000_000)));
            jobs.add(job);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(jobs.stream().filter(Job::isAlive).count())
                        .as("jobs not seen to end (counted: listing them would poll, and so reap, them)").isZero());
        assertThat(jobs).allSatisfy(j -> assertThat(j.ending().describe()).isEqualTo("exited 0"));
    }

    private static long descriptors(String kind) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().startsWith(kind);
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).count();
        }
    }
}

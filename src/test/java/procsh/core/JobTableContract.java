package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.os.OsSignals;
import procsh.os.ProcFs;
import procsh.os.ProcStat;
import procsh.testing.Leftovers;
import procsh.testing.TableFixture;

/** What every backend must do, against real processes. Subclasses pick the backend. */
abstract class JobTableContract {

    @TempDir
    Path temp;
    JobTable table;

    abstract String backend();

    @BeforeEach
    void open() {
        table = TableFixture.open(backend(), temp);
    }

    @AfterEach
    void closeAndCheckNothingLeft() {
        assertThat(TableFixture.closeAndFindLeftovers(table)).as("processes left running").isEmpty();
    }

    Job spawn(String... argv) {
        return table.spawn(SpawnRequest.of(argv));
    }

    Ending waitEnd(Job job) throws InterruptedException {
        WaitResult r = table.waitFor(job, Duration.ofSeconds(10));
        assertThat(r.timedOut()).as("job %s ended within 10s", job).isFalse();
        return job.ending();
    }

    // ------------------------------------------------------------------ ids, poll, wait

    @Test
    void idsCountUpInSpawnOrderAndAreNeverReused() throws Exception {
        Job a = spawn("true");
        Job b = spawn("true");
        waitEnd(a);
        waitEnd(b);
        table.remove(a);
        table.clean();
        Job c = spawn("true");
        assertThat(List.of(a.id(), b.id(), c.id())).containsExactly(1, 2, 3);
        assertThat(table.find("1")).isEmpty();
        assertThat(table.get("%3")).isSameAs(c);
    }

    @Test
    void pollAnswersAtOnceAndWaitTimesOutWithoutTouchingTheProcess() throws Exception {
        Job sleeper = spawn("sleep", "0.6");
        assertThat(table.poll(sleeper)).isEqualTo("running");
        WaitResult early = table.waitFor(sleeper, Duration.ofMillis(100));
        assertThat(early.timedOut()).isTrue();
        assertThat(early.describe()).startsWith("still running after 1");
        assertThat(sleeper.signals()).isEmpty();
        assertThat(Leftovers.alive(sleeper.pid())).isTrue();
        assertThat(waitEnd(sleeper).describe()).isEqualTo("exited 0");
        assertThat(table.poll(sleeper)).isEqualTo("exited 0");
        assertThat(sleeper.state()).isEqualTo(JobState.EXITED);
        assertThat(sleeper.endedAt()).isAfter(sleeper.started());
    }

    @Test
    void waitAnyReturnsWhenTheFirstEndsAndWaitAllWhenAllHave() throws Exception {
        Job slow = spawn("sleep", "5");
        Job fast = spawn("sleep", "0.1");
        WaitResult any = table.waitFor(List.of(slow, fast), Duration.ofSeconds(4), true);
        assertThat(any.timedOut()).isFalse();
        assertThat(any.ended()).containsExactly(fast);
        assertThat(any.running()).containsExactly(slow);
        table.kill(slow);
        WaitResult all = table.waitFor(List.of(slow, fast), Duration.ofSeconds(5), false);
        assertThat(all.ended()).containsExactly(slow, fast);
    }

    @Test
    void aWaitIsInterruptibleAndLeavesTheJobRunning() throws Exception {
        Job sleeper = spawn("sleep", "30");
        Thread waiter = Thread.currentThread();
        ExecutorService interrupter = Executors.newSingleThreadExecutor();
        try {
            interrupter.submit(() -> {
                Thread.sleep(150);
                waiter.interrupt();
                return null;
            });
            assertThatThrownBy(() -> table.waitFor(sleeper, null)).isInstanceOf(InterruptedException.class);
        } finally {
            interrupter.shutdown();
            Thread.interrupted();
        }
        assertThat(table.poll(sleeper)).isEqualTo("running");
    }

    // ------------------------------------------------------------------ how jobs end

    @Test
    void exitCodesAreReportedAsExits() throws Exception {
        assertThat(waitEnd(spawn("true")).describe()).isEqualTo("exited 0");
        Ending one = waitEnd(spawn("sh", "-c", "exit 1"));
        assertThat(one.describe()).isEqualTo("exited 1");
        assertThat(one.returncode()).isEqualTo(1);
        assertThat(one.exitCode()).isEqualTo(1);
    }

    @Test
    void exit137IsAnExitNotASignal() throws Exception {
        Job job = spawn("sh", "-c", "exit 137");
        Ending ending = waitEnd(job);
        assertThat(ending.exitCode()).isEqualTo(137);
        assertThat(ending.killed()).isFalse();
        assertThat(job.state()).isEqualTo(JobState.EXITED);
        assertThat(ending.shellStatus()).isEqualTo(137);
        if (table.backend().exactExitStatus()) {
            assertThat(ending.describe()).isEqualTo("exited 137");
        } else {
            assertThat(ending.describe()).startsWith("exited 137 or killed by SIGKILL (-9)");
        }
    }

    @Test
    void signalDeathsAreNamedWithWhoSentThem() throws Exception {
        for (String name : List.of("TERM", "KILL", "INT", "USR1")) {
            Job job = spawn("sleep", "30");
            table.signal(job, table.signal(name), Scope.PROCESS, Sender.USER);
            Ending ending = waitEnd(job);
            int number = table.signal(name).number();
            assertThat(ending.describe()).isEqualTo("killed by SIG" + name + " (-" + number + "), sent by you");
            assertThat(ending.returncode()).isEqualTo(-number);
            assertThat(ending.shellStatus()).isEqualTo(128 + number);
            assertThat(ending.exitCode()).isNull();
            assertThat(job.state()).isEqualTo(JobState.KILLED);
            assertThat(job.signals()).extracting(r -> r.signal().name()).containsExactly("SIG" + name);
        }
    }

    @Test
    void terminateIsSigtermAndKillIsSigkill() throws Exception {
        Job a = spawn("sleep", "30");
        Job b = spawn("sleep", "30");
        table.terminate(a);
        table.kill(b);
        assertThat(waitEnd(a).signal().name()).isEqualTo("SIGTERM");
        assertThat(waitEnd(b).signal().name()).isEqualTo("SIGKILL");
    }

    @Test
    void aJobStartedFromAnyThreadGetsSigquit() throws Exception {
        // The console and scripts spawn from threads of their own; HotSpot blocks SIGQUIT on those (not on main).
        ExecutorService other = Executors.newSingleThreadExecutor();
        Job job;
        try {
            job = other.submit(() -> spawn("sleep", "30")).get(10, TimeUnit.SECONDS);
        } finally {
            other.shutdown();
        }
        table.signal(job, table.signal("QUIT"), Scope.PROCESS, Sender.USER);
        assertThat(waitEnd(job).describe()).contains("killed by SIGQUIT");
    }

    @Test
    void signalsAreTakenByNameOrNumberInEverySpelling() {
        for (String spelled : List.of("USR1", "SIGUSR1", "sigusr1", "-USR1", "-SIGUSR1", "usr1", "10")) {
            assertThat(table.signal(spelled).name()).as(spelled).isEqualTo("SIGUSR1");
        }
        assertThat(table.signal("-9").name()).isEqualTo("SIGKILL");
        assertThatThrownBy(() -> table.signal("FOO")).hasMessageContaining("unknown signal 'FOO'");
        assertThatThrownBy(() -> table.signal("999")).hasMessageContaining("unknown signal");
    }

    @Test
    void anEndedJobIsNeverSignalled() throws Exception {
        Job job = spawn("true");
        waitEnd(job);
        assertThatThrownBy(() -> table.kill(job))
                .isInstanceOf(ProcshException.class)
                .hasMessageContaining("job 1 has already ended (exited 0)")
                .hasMessageContaining("may belong to another process");
        assertThat(job.signals()).isEmpty();
    }

    // ------------------------------------------------------------------ stop

    @Test
    void stopEscalatesToKillForAJobThatIgnoresTerm() throws Exception {
        Job stubborn = spawn("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done");
        awaitOutput(stubborn, "ready");
        StopReport report = table.stop(stubborn, Duration.ofMillis(400));
        assertThat(report.escalated()).isTrue();
        assertThat(report.survivors()).isEmpty();
        assertThat(report.ending().describe()).isEqualTo("killed by SIGKILL (-9), sent by stop's escalation");
        assertThat(report.took()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(stubborn.signals()).extracting(r -> r.signal().name() + "/" + r.sender())
                .containsExactly("SIGTERM/USER", "SIGKILL/ESCALATION");
    }

    @Test
    void stopOfAPoliteJobEndsWithTermAndNoEscalation() throws Exception {
        Job polite = spawn("sleep", "30");
        StopReport report = table.stop(polite, Duration.ofSeconds(5));
        assertThat(report.escalated()).isFalse();
        assertThat(report.ending().describe()).isEqualTo("killed by SIGTERM (-15), sent by you");
        assertThat(report.took()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void theStateIsStoppingWhileTheGraceRunsAndAKillCancelsTheEscalation() throws Exception {
        Job stubborn = spawn("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done");
        awaitOutput(stubborn, "ready");
        var pending = table.stopAsync(stubborn, Duration.ofSeconds(30), Sender.USER, Scope.GROUP);
        assertThat(stubborn.state()).isEqualTo(JobState.STOPPING);
        table.kill(stubborn);
        StopReport report = pending.get(5, TimeUnit.SECONDS);
        assertThat(report.escalated()).isFalse();
        assertThat(report.ending().describe()).isEqualTo("killed by SIGKILL (-9), sent by you");
    }

    @Test
    void aStoppedJobIsContinuedSoThatItCanBeStopped() throws Exception {
        Job job = spawn("sleep", "30");
        table.signal(job, table.signal("STOP"), Scope.PROCESS, Sender.USER);
        await().atMost(Duration.ofSeconds(5)).until(() -> job.state() == JobState.STOPPED);
        assertThat(table.poll(job)).isEqualTo("stopped");
        StopReport report = table.stop(job, Duration.ofSeconds(3));
        assertThat(report.escalated()).isFalse();
        assertThat(report.ending().signal().name()).isEqualTo("SIGTERM");
    }

    @Test
    void aTreeStopLeavesNoReparentedGrandchildAlive() throws Exception {
        // The job starts two grandchildren that ignore TERM, prints their PIDs, and exits at once.
        Job parent = spawn("sh", "-c", "(trap '' TERM; exec sleep 30) & echo $!; (sleep 30) & echo $!; exit 0");
        assertThat(waitEnd(parent).describe()).isEqualTo("exited 0");
        List<Long> grandchildren = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> parent.output().lines(OutputChannel.STDOUT).size() == 2);
        parent.output().lines(OutputChannel.STDOUT).forEach(l -> grandchildren.add(Long.parseLong(l.strip())));
        assertThat(grandchildren).allMatch(Leftovers::alive);
        assertThat(ProcFs.stat(grandchildren.get(0)).orElseThrow().pgrp()).isEqualTo(parent.pid());

        StopReport report = table.stop(parent, Duration.ofMillis(300));
        assertThat(report.survivors()).isEmpty();
        assertThat(report.escalated()).isTrue();
        await().atMost(Duration.ofSeconds(3)).until(() -> grandchildren.stream().noneMatch(Leftovers::alive));
    }

    @Test
    void aGroupSignalReachesGrandchildren() throws Exception {
        Job parent = spawn("sh", "-c", "sleep 30 & echo $!; wait");
        await().atMost(Duration.ofSeconds(5)).until(() -> !parent.output().lines(OutputChannel.STDOUT).isEmpty());
        long grandchild = Long.parseLong(parent.output().lines(OutputChannel.STDOUT).get(0).strip());
        table.signal(parent, table.signal("KILL"), Scope.GROUP, Sender.USER);
        waitEnd(parent);
        await().atMost(Duration.ofSeconds(3)).until(() -> !Leftovers.alive(grandchild));
    }

    @Test
    void killEndsTheWholeGroupAndItsCpuCountsTheBusyChild() throws Exception {
        Job job = spawn("sh", "-c", "yes > /dev/null");
        await().atMost(Duration.ofSeconds(5)).until(() -> !ProcFs.descendants(job.pid()).isEmpty());
        long yes = ProcFs.descendants(job.pid()).get(0).pid();
        await().atMost(Duration.ofSeconds(5)).until(() -> job.live().orElseThrow().jobCpu().toMillis() >= 200);
        LiveStats live = job.live().orElseThrow();
        assertThat(live.jobCpu()).isGreaterThan(live.cpu().plusMillis(150));
        table.kill(job);
        waitEnd(job);
        await().atMost(Duration.ofSeconds(3)).until(() -> !Leftovers.alive(yes));
        assertThat(table.remaining(job)).isEmpty();
    }

    @Test
    void killingTheProcessAloneLeavesItsChildAndTheTableKnows() throws Exception {
        Job job = spawn("sh", "-c", "sleep 30; :");
        await().atMost(Duration.ofSeconds(5)).until(() -> !ProcFs.descendants(job.pid()).isEmpty());
        long child = ProcFs.descendants(job.pid()).get(0).pid();
        table.signal(job, table.signal("KILL"), Scope.PROCESS, Sender.USER);
        waitEnd(job);
        assertThat(table.remaining(job)).extracting(ProcStat::pid).containsExactly(child);
        table.stop(job, Duration.ofSeconds(1));
        assertThat(Leftovers.alive(child)).isFalse();
    }

    @Test
    void eachJobLeadsItsOwnSessionAndGroup() throws Exception {
        Job job = spawn("sleep", "30");
        ProcStat stat = ProcFs.stat(job.pid()).orElseThrow();
        assertThat(stat.pgrp()).isEqualTo(job.pid());
        assertThat(stat.session()).isEqualTo(job.pid());
        long myGroup = ProcFs.stat(ProcessHandle.current().pid()).orElseThrow().pgrp();
        assertThat(stat.pgrp()).isNotEqualTo(myGroup);
        table.kill(job);
    }

    @Test
    void aTimeLimitStopsTheJob() throws Exception {
        Job job = table.spawn(SpawnRequest.of("sleep", "30").timeout(Duration.ofMillis(200)));
        Ending ending = waitEnd(job);
        assertThat(ending.describe()).isEqualTo("killed by SIGTERM (-15), sent by the time limit");
        assertThat(job.runTime()).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void stopAllLeavesNothingRunning() throws Exception {
        List<Job> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(spawn("sleep", "30"));
        }
        all.add(spawn("sh", "-c", "trap '' TERM; sleep 30 & sleep 30"));
        List<StopReport> reports = table.stopAll(Duration.ofMillis(300), Sender.SESSION_EXIT);
        assertThat(reports).hasSize(6).allMatch(r -> r.survivors().isEmpty());
        assertThat(all).allMatch(Job::hasEnded);
        assertThat(all.get(0).ending().describe()).isEqualTo("killed by SIGTERM (-15), sent by procsh's exit");
        assertThat(Leftovers.of(table)).isEmpty();
    }

    // ------------------------------------------------------------------ spawn errors

    @Test
    void aMissingProgramIsAClearErrorAndNoJob() {
        assertThatThrownBy(() -> spawn("no-such-program-xyz"))
                .isInstanceOf(ProcshException.class)
                .hasMessage("command not found: 'no-such-program-xyz' is not on PATH (give a path, or fix PATH with setenv)");
        assertThatThrownBy(() -> spawn("./missing.sh")).hasMessageStartingWith("no such file: './missing.sh'");
        assertThat(table.jobs()).isEmpty();
        assertThat(spawn("true").id()).isEqualTo(1);
    }

    @Test
    void aBadDirectoryIsAClearErrorAndNoJob() {
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("true").cwd(Path.of("/no/such/dir"))))
                .hasMessage("no such directory: /no/such/dir");
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("no-such-program-xyz").cwd(Path.of("/no/such/dir"))))
                .as("the directory is named first, whatever else is wrong")
                .hasMessage("no such directory: /no/such/dir");
        assertThat(table.jobs()).isEmpty();
    }

    @Test
    void aDirectoryGivenAsTheProgramIsAClearError() throws IOException {
        Files.createDirectory(temp.resolve("tools"));
        assertThatThrownBy(() -> spawn("./tools")).hasMessage("'./tools' is a directory, not a program");
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("./true").cwd(Path.of("/no/such/dir"))))
                .as("the directory is named first, as the shell's cd would")
                .hasMessage("no such directory: /no/such/dir");
        assertThat(table.jobs()).isEmpty();
        assertThat(spawn("true").id()).isEqualTo(1);
    }

    @Test
    void jobsStartedFromManyThreadsWithNobodyWaitingAreAllSeenToEnd() throws Exception {
        // Nothing waits for these: only the backend's own watching can see them end (a lost
        // wake-up or adoption leaves a job "running" for ever, and a zombie behind it).
        int threads = 4;
        int each = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.List<java.util.concurrent.Future<java.util.List<Job>>> started = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(pool.submit(() -> {
                java.util.List<Job> mine = new java.util.ArrayList<>();
                for (int i = 0; i < each; i++) {
                    mine.add(spawn("sh", "-c", "exit " + (i % 3)));
                }
                return mine;
            }));
        }
        java.util.List<Job> jobs = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<java.util.List<Job>> f : started) {
            jobs.addAll(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        pool.shutdown();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(jobs.stream().filter(Job::isAlive).count())
                        .as("jobs not seen to end (counted: listing them would poll, and so reap, them)").isZero());
        assertThat(jobs).hasSize(threads * each)
                .allSatisfy(j -> assertThat(j.ending().describe()).startsWith("exited "));
        assertThat(jobs.stream().filter(j -> j.ending().returncode() == 2).count()).isEqualTo(threads * (each / 3));
    }

    @Test
    void aProgramWithoutExecutePermissionIsAClearError() throws IOException {
        Path script = Files.writeString(temp.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        assertThatThrownBy(() -> spawn("./script.sh"))
                .hasMessage("permission denied: './script.sh' is not executable (chmod +x ./script.sh?)");
        assertThat(table.jobs()).isEmpty();
        assertThat(script).exists();
    }

    // ------------------------------------------------------------------ environment, cwd, output

    @Test
    void environmentAdditionsRemovalsAndPythonUnbufferedReachTheJob() throws Exception {
        table.context().unsetenv("PYTHONUNBUFFERED");
        table.context().setenv("FROM_SESSION", "s");
        table.context().setenv("DROP_ME", "x");
        Job job = table.spawn(SpawnRequest.of("sh", "-c", "echo \"$A|$FROM_SESSION|${DROP_ME-unset}|$PYTHONUNBUFFERED\"")
                .env("A", "1").unset("DROP_ME"));
        waitEnd(job);
        assertThat(job.output().lines(OutputChannel.STDOUT)).containsExactly("1|s|unset|1");
        assertThat(job.envAdded()).containsEntry("A", "1").containsEntry("PYTHONUNBUFFERED", "1");
        assertThat(job.envRemoved()).contains("DROP_ME").doesNotContain("A");
        assertThat(job.envAdded()).containsEntry("FROM_SESSION", "s").doesNotContainKey("DROP_ME");

        Job plain = table.spawn(SpawnRequest.of("sh", "-c", "echo ${PYTHONUNBUFFERED-none}").pythonUnbuffered(false).unset("PYTHONUNBUFFERED"));
        waitEnd(plain);
        assertThat(plain.output().lines(OutputChannel.STDOUT)).containsExactly("none");
        // An explicit --unset wins over the default too: the job gets no PYTHONUNBUFFERED at all.
        Job unset = table.spawn(SpawnRequest.of("sh", "-c", "echo ${PYTHONUNBUFFERED-none}").unset("PYTHONUNBUFFERED"));
        waitEnd(unset);
        assertThat(unset.output().lines(OutputChannel.STDOUT)).containsExactly("none");
        assertThat(unset.envAdded()).doesNotContainKey("PYTHONUNBUFFERED");
        // Jobs share the session's environment, built once: a change made after one spawn reaches the next.
        table.context().setenv("LATER", "2");
        Job later = table.spawn(SpawnRequest.of("sh", "-c", "echo $LATER"));
        waitEnd(later);
        assertThat(later.output().lines(OutputChannel.STDOUT)).containsExactly("2");
    }

    @Test
    void argumentsArriveExactlyAsGivenWithNoShellInBetween() throws Exception {
        Job job = spawn("printf", "%s\\n", "$HOME", "*", "a b", "'q'");
        waitEnd(job);
        assertThat(job.output().lines(OutputChannel.STDOUT)).containsExactly("$HOME", "*", "a b", "'q'");
    }

    @Test
    void theWorkingDirectoryIsTheJobs() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("work"));
        Job job = table.spawn(SpawnRequest.of("pwd").cwd(Path.of("work")));
        waitEnd(job);
        assertThat(job.output().lines(OutputChannel.STDOUT)).containsExactly(dir.toRealPath().toString());
        assertThat(job.cwd()).isEqualTo(dir);
    }

    @Test
    void stdoutAndStderrGoToPrivateFilesInThePrivateSessionDirectory() throws Exception {
        Job job = spawn("sh", "-c", "for i in 1 2 3 4 5; do echo out$i; done; echo err >&2");
        waitEnd(job);
        assertThat(job.output().tail(OutputChannel.STDOUT, 2)).containsExactly("out4", "out5");
        assertThat(job.output().tail(OutputChannel.STDOUT, 10)).hasSize(5);
        assertThat(job.output().tail(OutputChannel.STDERR, 10)).containsExactly("err");
        assertThat(job.output().size(OutputChannel.STDOUT)).isEqualTo(25);
        Path dir = table.directory().root();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(job.output().file(OutputChannel.STDOUT))))
                .isEqualTo("rw-------");
    }

    @Test
    void followSeesNewLinesUntilTheJobEnds() throws Exception {
        Job job = spawn("sh", "-c", "echo one; sleep 0.3; echo two; sleep 0.3; printf three");
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        job.output().follow(java.util.EnumSet.of(OutputChannel.STDOUT), 10, (c, line) -> seen.add(line), job::hasEnded);
        assertThat(seen).containsExactly("one", "two", "three");
    }

    @Test
    void stdinPipeTakesTextAndEof() throws Exception {
        Job cat = table.spawn(SpawnRequest.of("cat").stdin(true));
        table.send(cat, "hello\n");
        table.send(cat, "world\n");
        table.closeStdin(cat);
        assertThat(waitEnd(cat).describe()).isEqualTo("exited 0");
        assertThat(cat.output().lines(OutputChannel.STDOUT)).containsExactly("hello", "world");
        Job noPipe = spawn("sleep", "30");
        assertThatThrownBy(() -> table.send(noPipe, "x")).hasMessageContaining("has no stdin pipe: spawn it with --stdin");
        table.kill(noPipe);
    }

    @Test
    void aSendNeverBlocksOnAJobThatDoesNotReadAndSaysWhatWentIn() throws Exception {
        String big = "x".repeat(200 * 1024) + "\n";
        Job deaf = table.spawn(SpawnRequest.of("sleep", "30").stdin(true));
        long start = System.nanoTime();
        assertThatThrownBy(() -> table.send(deaf, big)).hasMessage(
                "wrote 65536 of 204801 bytes: job 1 is not reading its stdin; the rest was not sent");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        Job reader = table.spawn(SpawnRequest.of("sh", "-c", "wc -c").stdin(true));
        table.send(reader, big);
        table.closeStdin(reader);
        assertThat(waitEnd(reader).describe()).isEqualTo("exited 0");
        assertThat(reader.output().lines(OutputChannel.STDOUT)).containsExactly("204801");
        table.kill(deaf);
    }

    @Test
    void aSymlinkPlantedWhereAJobsOutputGoesIsNotFollowed() throws Exception {
        Path victim = Files.writeString(temp.resolve("victim.txt"), "precious\n");
        Path planted = table.directory().file("1.out");
        Files.createSymbolicLink(planted, victim);
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("echo", "pwned"))).hasMessage(
                "not starting echo: " + planted + " is there already; procsh writes job output only to files it creates (was it planted?)");
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(table.jobs()).isEmpty();
        Path plantedErr = table.directory().file("1.err");
        Files.createSymbolicLink(plantedErr, victim);
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("sh", "-c", "echo pwned >&2"))).hasMessageContaining(plantedErr + " is there already");
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(waitEnd(spawn("echo", "fine")).describe()).isEqualTo("exited 0");
    }

    @Test
    void aRestartAppendsToTheFilesOfTheFirstRunButNeverThroughAPlantedLink() throws Exception {
        RestartPolicy policy = RestartPolicy.of(RestartPolicy.Mode.ON_FAILURE).maxRestarts(2).backoff("20ms");
        Job job = table.spawn(SpawnRequest.of("sh", "-c", "echo run; exit 1").restart(policy));
        assertThat(waitEnd(job).describe()).isEqualTo("exited 1");
        assertThat(job.restarts()).isEqualTo(2);
        assertThat(job.output().lines(OutputChannel.STDOUT)).containsExactly("run", "run", "run");

        Path victim = Files.writeString(temp.resolve("victim.txt"), "precious\n");
        Job swapped = table.spawn(SpawnRequest.of("sh", "-c", "echo run; exit 1")
                .restart(RestartPolicy.of(RestartPolicy.Mode.ON_FAILURE).backoff("300ms")));
        await().atMost(Duration.ofSeconds(5)).until(() -> swapped.state() == JobState.BACKOFF);
        Path out = swapped.output().file(OutputChannel.STDOUT);
        Files.delete(out);
        Files.createSymbolicLink(out, victim);
        waitEnd(swapped);
        assertThat(swapped.restartFailure()).isNotBlank();
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
    }

    @Test
    void aDefaultStdinIsDevNull() throws Exception {
        Job cat = spawn("cat");
        assertThat(waitEnd(cat).describe()).isEqualTo("exited 0");
    }

    @Test
    void liveInfoComesFromTheOs() throws Exception {
        Job job = spawn("sh", "-c", "sleep 30 & wait");
        await().atMost(Duration.ofSeconds(5)).until(() -> job.live().map(l -> !l.descendants().isEmpty()).orElse(false));
        LiveStats live = job.live().orElseThrow();
        assertThat(live.pgid()).isEqualTo(job.pid());
        assertThat(live.rssBytes()).isPositive();
        assertThat(live.descendants()).extracting(ProcStat::command).contains("sleep");
        table.stop(job, Duration.ofSeconds(2));
        assertThat(job.live()).isEmpty();
    }

    @Test
    void namesFindJobsAndARunningNameCannotBeTakenTwice() throws Exception {
        Job web = table.spawn(SpawnRequest.of("sleep", "30").name("web"));
        assertThat(table.get("web")).isSameAs(web);
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("sleep", "30").name("web")))
                .hasMessageContaining("already named 'web'");
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("true").name("12"))).hasMessageContaining("bad job name");
        assertThatThrownBy(() -> table.get("nope")).hasMessage("no job 'nope': `list` shows the jobs");
        Job again = table.restart(web);
        assertThat(again.id()).isEqualTo(2);
        assertThat(table.get("web")).isSameAs(again);
        assertThat(web.hasEnded()).isTrue();
        assertThat(again.argv()).isEqualTo(web.argv());
    }

    @Test
    void aRemovedJobCanStillBeRestarted() throws Exception {
        Job job = table.spawn(SpawnRequest.of("sh", "-c", "exit 2").name("again"));
        waitEnd(job);
        table.remove(job);
        Job again = table.restart(job);
        assertThat(again.id()).isEqualTo(2);
        assertThat(waitEnd(again).describe()).isEqualTo("exited 2");
        assertThat(again.name()).isEqualTo("again");
    }

    @Test
    void aNulInAnEnvironmentValueIsRefusedNotCut() {
        String refused = "bad value for environment variable K: it holds a NUL (at character 2), which an environment cannot carry: remove it";
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("true").env("K", "a\0b"))).hasMessage(refused);
        assertThat(table.jobs()).isEmpty();
        assertThatThrownBy(() -> table.context().setenv("K", "a\0b")).hasMessage(refused);
        assertThat(table.context().getenv("K")).isNull();
    }

    @Test
    void theSessionsSetenvAndUnsetenvAreRecordedOnTheJob() throws Exception {
        table.context().setenv("FROM_SETENV", "1");
        table.context().unsetenv("HOME");
        Job job = table.spawn(SpawnRequest.of("true").env("OWN", "2"));
        assertThat(job.envAdded()).containsEntry("FROM_SETENV", "1").containsEntry("OWN", "2");
        assertThat(job.envRemoved()).contains("HOME");
        waitEnd(job);
    }

    @Test
    void aRunningJobCannotBeRemoved() {
        Job job = spawn("sleep", "30");
        assertThatThrownBy(() -> table.remove(job)).hasMessage("job 1 is still running: stop it first (stop 1)");
        assertThat(table.jobs()).containsExactly(job);
        table.kill(job);
    }

    // ------------------------------------------------------------------ load and memory

    @Test
    void aHundredConcurrentJobsSpawnedAndKilledLeaveNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Job>> spawned = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                spawned.add(pool.submit(() -> spawn("sleep", "30")));
            }
            List<Job> jobs = new ArrayList<>();
            for (Future<Job> f : spawned) {
                jobs.add(f.get());
            }
            assertThat(jobs).extracting(Job::id).doesNotHaveDuplicates().hasSize(100);
            List<Future<?>> kills = new ArrayList<>();
            for (Job job : jobs) {
                kills.add(pool.submit(() -> table.kill(job)));
            }
            for (Future<?> f : kills) {
                f.get();
            }
            assertThat(table.waitFor(jobs, Duration.ofSeconds(20), false).timedOut()).isFalse();
            assertThat(jobs).allMatch(j -> j.ending().describe().equals("killed by SIGKILL (-9), sent by you"));
            assertThat(jobs).noneMatch(j -> Leftovers.alive(j.pid()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fiftyMegabytesOfOutputLeaveTheHeapFlat() throws Exception {
        long before = usedHeapAfterGc();
        Job job = spawn("head", "-c", "52428800", "/dev/zero");
        waitEnd(job);
        assertThat(job.output().size(OutputChannel.STDOUT)).isEqualTo(52_428_800L);
        assertThat(job.output().tail(OutputChannel.STDOUT, 5)).hasSize(1);
        long after = usedHeapAfterGc();
        assertThat(after - before).as("heap growth in bytes").isLessThan(10L << 20);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    void awaitOutput(Job job, String line) {
        await().atMost(Duration.ofSeconds(5)).until(() -> job.output().lines(OutputChannel.STDOUT).contains(line));
    }

    static void killQuietly(long pid) {
        try {
            OsSignals.kill(pid, procsh.os.Signals.os().require("KILL"));
        } catch (IOException ignored) {
            // gone
        }
    }
}

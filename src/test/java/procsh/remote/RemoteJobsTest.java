package procsh.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.command.Shell;
import procsh.command.ShellSession;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.OutputChannel;
import procsh.core.ProcshException;
import procsh.core.SpawnRequest;
import procsh.core.StopReport;
import procsh.testing.Leftovers;
import procsh.testing.TableFixture;

/**
 * Jobs on another host through a real sshd on 127.0.0.1 and a real agent there (this build's
 * classes, as `procsh --agent`): what a user sees is the same as for local jobs.
 */
class RemoteJobsTest {

    static final String HOST = "127.0.0.1";

    @RegisterExtension
    static final AgentSshd SSHD = new AgentSshd();

    @TempDir
    Path temp;
    JobTable table;

    static final java.util.Set<String> SHARING = java.util.Set.of("exitCodeAndOutputComeBack", "killIsExactAndCreditedToTheUser",
            "stopEndsTheGroupThereAndEscalates", "aRestartPolicyStartsTheNextRunThere", "stdinReachesTheRemoteJob", "theConsoleShowsTheHost",
            "groovySpawnsOnAHost", "aStoppedRemoteJobShowsStoppedInPollAndList", "stopEndsAStoppedRemoteJob",
            "listShowsTheCpuAndMemoryOfARemoteJob", "treeAndInfoShowARemoteJobsChild", "whatARemoteJobLeftRunningIsReportedAndStopped",
            "quickJobsLeaveNothingFollowed");

    @BeforeEach
    void open(org.junit.jupiter.api.TestInfo test) {
        table = TableFixture.open("native", temp);
        if (SHARING.contains(test.getTestMethod().orElseThrow().getName())) {
            table.remoteLaunchers(host -> SSHD.lend());
        }
    }

    @AfterEach
    void close() {
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
    }

    Job spawn(String... argv) {
        return table.spawn(SpawnRequest.of(argv).host(HOST));
    }

    @Test
    void exitCodeAndOutputComeBack() throws Exception {
        Job job = spawn("sh", "-c", "echo hi; echo oops >&2; exit 3");
        assertThat(table.waitFor(job, Duration.ofSeconds(20)).timedOut()).isFalse();
        assertThat(job.status()).isEqualTo("exited 3");
        assertThat(job.host()).isEqualTo(HOST);
        assertThat(job.output().lines(OutputChannel.STDOUT)).containsExactly("hi");
        assertThat(job.output().lines(OutputChannel.STDERR)).containsExactly("oops");
    }

    @Test
    void quickJobsLeaveNothingFollowed() throws Exception {
        // Their ends often arrive before their spawn answers are registered: none may stay followed.
        List<Job> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobs.add(spawn("true"));
        }
        assertThat(table.waitFor(jobs, Duration.ofSeconds(30), false).timedOut()).isFalse();
        assertThat(jobs).allMatch(j -> j.status().equals("exited 0"));
        assertThat(SSHD.lent().jobs()).isZero();
    }

    @Test
    void killIsExactAndCreditedToTheUser() throws Exception {
        Job job = spawn("sleep", "30");
        assertThat(table.poll(job)).isEqualTo("running");
        table.kill(job);
        table.waitFor(job, Duration.ofSeconds(20));
        assertThat(job.status()).isEqualTo("killed by SIGKILL (-9), sent by you");
        assertThat(job.ending().certain()).isTrue();
        assertThatThrownBy(() -> table.kill(job)).isInstanceOf(ProcshException.class).hasMessageContaining("has already ended");
    }

    @Test
    void stopEndsTheGroupThereAndEscalates() throws Exception {
        Job polite = spawn("sh", "-c", "sleep 30 & wait");
        Job stubborn = spawn("sh", "-c", "trap '' TERM; sleep 30 & wait; sleep 30");
        await().atMost(Duration.ofSeconds(10)).until(() -> childOf(polite.pid()) > 0);
        long child = childOf(polite.pid());
        StopReport report = table.stop(polite, Duration.ofSeconds(5));
        assertThat(report.ending().describe()).isEqualTo("killed by SIGTERM (-15), sent by you");
        assertThat(report.escalated()).isFalse();
        // The agent ran on this very machine: the job's group there is gone too.
        await().atMost(Duration.ofSeconds(5)).until(() -> !Leftovers.alive(child));
        StopReport forced = table.stop(stubborn, Duration.ofMillis(300));
        assertThat(forced.ending().describe()).isEqualTo("killed by SIGKILL (-9), sent by stop's escalation");
        assertThat(forced.escalated()).isTrue();
    }

    private static long childOf(long pid) {
        return procsh.os.ProcFs.descendants(pid).stream().mapToLong(s -> s.pid()).findFirst().orElse(-1);
    }

    @Test
    void aRestartPolicyStartsTheNextRunThere() throws Exception {
        Job job = table.spawn(SpawnRequest.of("sh", "-c", "echo try; exit 2").host(HOST)
                .restart(procsh.core.RestartPolicy.of(procsh.core.RestartPolicy.Mode.ON_FAILURE).maxRestarts(2).backoff("10ms")));
        table.waitFor(job, Duration.ofSeconds(20));
        assertThat(job.status()).isEqualTo("exited 2");
        assertThat(job.restarts()).isEqualTo(2);
        assertThat(job.output().lines(OutputChannel.STDOUT)).containsExactly("try", "try", "try");
    }

    @Test
    void stdinReachesTheRemoteJob() throws Exception {
        Job job = table.spawn(SpawnRequest.of("cat").stdin(true).host(HOST));
        table.send(job, "abc\n");
        table.closeStdin(job);
        table.waitFor(job, Duration.ofSeconds(20));
        assertThat(job.status()).isEqualTo("exited 0");
        assertThat(job.output().lines(OutputChannel.STDOUT)).containsExactly("abc");
    }

    @Test
    void theConsoleShowsTheHost() throws Exception {
        Shell shell = new Shell(ShellSession.plain(table));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        shell.run("spawn true", new PrintWriter(out, true), new PrintWriter(err, true));
        shell.run("list", new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(out.toString()).containsPattern("ID +NAME +PID").doesNotContain("HOST"); // as ever, while all jobs are local
        shell.run("spawn --host " + HOST + " sh -c 'exit 4'", new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(shell.run("wait 2", new PrintWriter(out, true), new PrintWriter(err, true))).isEqualTo(4);
        shell.run("wait 1", new PrintWriter(out, true), new PrintWriter(err, true));
        out.getBuffer().setLength(0);
        shell.run("list", new PrintWriter(out, true), new PrintWriter(err, true));
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("ID  NAME  HOST ");
        assertThat(lines.get(1)).matches(" *1  -     -  .*true");
        assertThat(lines.get(2)).matches(" *2  -     127\\.0\\.0\\.1 .*exited +0 +4 .*");
        out.getBuffer().setLength(0);
        shell.run("hosts", new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(out.toString()).containsPattern("127\\.0\\.0\\.1 +0 +\\d+  connected");
        assertThat(err.toString()).isEmpty();
    }

    /** Runs a console line; returns what it printed (errors too). */
    static String console(Shell shell, String line) throws InterruptedException {
        StringWriter out = new StringWriter();
        shell.run(line, new PrintWriter(out, true), new PrintWriter(out, true));
        return out.toString();
    }

    /** The row of job {@code id} in {@code list}'s output. */
    static String row(String list, int id) {
        return list.lines().filter(l -> l.matches(" *" + id + "  .*")).findFirst().orElseThrow();
    }

    @Test
    void aStoppedRemoteJobShowsStoppedInPollAndList() throws Exception {
        Shell shell = new Shell(ShellSession.plain(table));
        Job job = spawn("sleep", "30");
        console(shell, "kill -STOP 1");
        await().atMost(Duration.ofSeconds(10)).until(() -> table.poll(job).equals("stopped"));
        assertThat(console(shell, "poll 1")).isEqualTo("[1] stopped\n");
        assertThat(row(console(shell, "list"), 1)).matches(".*127\\.0\\.0\\.1 +" + job.pid() + "  stopped .*sleep 30");
        console(shell, "kill -CONT 1");
        await().atMost(Duration.ofSeconds(10)).until(() -> console(shell, "poll 1").equals("[1] running\n"));
    }

    @Test
    void stopEndsAStoppedRemoteJob() throws Exception {
        Shell shell = new Shell(ShellSession.plain(table));
        Job job = spawn("sleep", "30");
        console(shell, "kill -STOP 1");
        await().atMost(Duration.ofSeconds(10)).until(() -> table.poll(job).equals("stopped"));
        console(shell, "stop 1");
        assertThat(job.status()).isEqualTo("killed by SIGTERM (-15), sent by you");
    }

    @Test
    void listShowsTheCpuAndMemoryOfARemoteJob() throws Exception {
        spawn("sleep", "30");
        String row = row(console(new Shell(ShellSession.plain(table)), "list"), 1);
        java.util.regex.Matcher cells = java.util.regex.Pattern.compile(".* (\\S+) +(\\S+) +sleep 30").matcher(row);
        assertThat(cells.matches()).as(row).isTrue();
        assertThat(cells.group(1)).as("CPU in " + row).isNotEqualTo("-");
        assertThat(cells.group(2)).as("RSS in " + row).matches("\\d+(\\.\\d+)?[BKMG]");
    }

    @Test
    void treeAndInfoShowARemoteJobsChild() throws Exception {
        Shell shell = new Shell(ShellSession.plain(table));
        Job job = spawn("sh", "-c", "sleep 30 & wait");
        // The agent runs on this very machine: its child is this machine's process too.
        await().atMost(Duration.ofSeconds(10)).until(() -> childOf(job.pid()) > 0);
        long child = childOf(job.pid());
        assertThat(console(shell, "tree 1")).startsWith(job.pid() + " sh -c sleep 30 & wait  [1] running\n")
                .endsWith("\u2514\u2500 " + child + " sleep\n");
        assertThat(console(shell, "info 1")).containsPattern("descendants +" + child + " sleep\n");
    }

    @Test
    void whatARemoteJobLeftRunningIsReportedAndStopped() throws Exception {
        Shell shell = new Shell(ShellSession.plain(table));
        Job job = spawn("sh", "-c", "sleep 30 & exit 0");
        assertThat(console(shell, "wait 1")).contains("; 1 process of it still runs (stop 1 --tree ends it)");
        long left = procsh.os.ProcFs.group(job.pid()).get(0).pid(); // the agent runs on this very machine
        console(shell, "stop 1 --tree");
        await().atMost(Duration.ofSeconds(10)).until(() -> !Leftovers.alive(left));
    }

    @Test
    void aHostThatDoesNotAnswerShowsUnknownAtOnce() throws Exception {
        Shell shell = new Shell(ShellSession.plain(table));
        spawn("sleep", "30");
        ProcessHandle agent = agents().stream().filter(p -> p.info().commandLine().orElse("").contains(procsh.remote.AgentCommandLine.DAEMON))
                .findFirst().orElseThrow();
        procsh.os.OsSignals.kill(agent.pid(), table.signal("STOP")); // alive, connected, but answering nothing
        try {
            long start = System.nanoTime();
            String row = row(console(shell, "list"), 1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThat(row).matches(".*  unknown .* -  +- +sleep 30");
        } finally {
            procsh.os.OsSignals.kill(agent.pid(), table.signal("CONT"));
        }
    }

    @Test
    void groovySpawnsOnAHost() throws Exception {
        StringWriter out = new StringWriter();
        try (procsh.groovy.GroovyEngine engine = new procsh.groovy.GroovyEngine(table)) {
            Object result = engine.eval("def j = spawn(host: '127.0.0.1', 'sh', '-c', 'exit 5'); j.waitFor(); [j.host, j.exitCode, j.children]",
                    new PrintWriter(out, true), new PrintWriter(out, true));
            assertThat(result).isEqualTo(List.of(HOST, 5, List.of()));
            engine.eval("tree = spawn(host: '127.0.0.1', 'sh', '-c', 'sleep 30 & wait')", new PrintWriter(out, true), new PrintWriter(out, true));
            // The agent runs on this very machine: the child its agent names is this machine's process too.
            await().atMost(Duration.ofSeconds(10)).until(() -> childOf(table.get(2).pid()) > 0);
            assertThat(engine.eval("tree.children*.pid", new PrintWriter(out, true), new PrintWriter(out, true)))
                    .isEqualTo(List.of(childOf(table.get(2).pid())));
            table.stop(table.get(2), Duration.ofSeconds(5));
        }
    }

    @Test
    void exitKeepLeavesTheRemoteJobRunning() throws Exception {
        Job job = spawn("sh", "-c", "echo started; exec sleep 30");
        await().atMost(Duration.ofSeconds(10)).until(() -> job.output().lines(OutputChannel.STDOUT).contains("started"));
        StringWriter out = new StringWriter();
        new Shell(ShellSession.plain(table)).run("exit --keep", new PrintWriter(out, true), new PrintWriter(out, true));
        table.close();
        try {
            assertThat(out.toString()).startsWith("leaving 1 job running: [1] " + job.pid() + " sh -c echo started; exec sleep 30 on 127.0.0.1\n"
                    + "[1] writes on to 127.0.0.1:/").endsWith("/1.out\n");
            assertThat(Leftovers.alive(job.pid())).isTrue();
            // Its agent let go of it and ended; what the job writes goes on to the agent's copy there.
            await().atMost(Duration.ofSeconds(10)).until(() -> agents().isEmpty());
            Path log = Path.of(out.toString().lines().toList().get(1).replaceFirst(".*127\\.0\\.0\\.1:", ""));
            assertThat(java.nio.file.Files.readAllLines(log)).containsExactly("started");
        } finally {
            ProcessHandle.of(job.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The agents of this JVM's sessions still running (their command lines name this JVM's pid), but the shared one. */
    static List<ProcessHandle> agents() {
        String mine = "procsh-" + ProcessHandle.current().pid() + "-";
        String lent = SSHD.lentAgentId(); // the shared one runs for the whole class
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(mine)
                && (lent == null || !p.info().commandLine().orElse("").contains(lent))).toList();
    }

    @Test
    void aDroppedConnectionIsReadoptedWithNothingLostOrTwice() throws Exception {
        List<String> news = new java.util.concurrent.CopyOnWriteArrayList<>();
        table.addListener(new procsh.core.JobListener() {
            @Override
            public void jobEnded(Job job) {
            }

            @Override
            public void hostLost(String host, int jobs) {
                news.add("lost " + host + " " + jobs);
            }

            @Override
            public void hostBack(String host, int readopted, int gone) {
                news.add("back " + host + " " + readopted + " " + gone);
            }
        });
        Job job = spawn("sh", "-c", "i=0; while [ $i -lt 60 ]; do echo line$i; i=$((i+1)); sleep 0.02; done; exit 3");
        await().atMost(Duration.ofSeconds(10)).until(() -> !job.output().lines(OutputChannel.STDOUT).isEmpty());
        long ssh = table.hosts().get(0).connectionPid();
        ProcessHandle.of(ssh).ifPresent(ProcessHandle::destroyForcibly); // the link drops
        await().atMost(Duration.ofSeconds(10)).until(() -> news.contains("lost 127.0.0.1 1"));
        // The job ran on, its output waiting there; once reconnected, all of it arrives, and its exact end.
        assertThat(table.waitFor(job, Duration.ofSeconds(30)).timedOut()).isFalse();
        assertThat(job.status()).isEqualTo("exited 3");
        assertThat(job.output().lines(OutputChannel.STDOUT))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 60).mapToObj(i -> "line" + i).toList());
        assertThat(news).containsExactly("lost 127.0.0.1 1", "back 127.0.0.1 1 0");
        assertThat(table.hosts().get(0).state()).isEqualTo("connected");
        assertThat(table.hosts().get(0).connectionPid()).isNotEqualTo(ssh);
    }

    @Test
    void aLinkThatGoesSilentIsDroppedAndReconnected() throws Exception {
        System.setProperty(SshConnection.PING_PROPERTY, "200");
        ProcessHandle relay = null;
        try {
            Job job = spawn("sh", "-c", "i=0; while [ $i -lt 100 ]; do echo line$i; i=$((i+1)); sleep 0.02; done");
            long ssh = table.hosts().get(0).connectionPid();
            relay = agents().stream().filter(p -> p.info().commandLine().orElse("").contains("procsh.Main --agent --session"))
                    .findFirst().orElseThrow();
            // Every process alive and every connection open, but nothing goes through: as a link that died with no one told.
            procsh.os.OsSignals.kill(relay.pid(), table.signal("STOP"));
            await().atMost(Duration.ofSeconds(15)).until(() -> table.hosts().get(0).connectionPid() != ssh
                    && "connected".equals(table.hosts().get(0).state()));
            assertThat(table.waitFor(job, Duration.ofSeconds(20)).timedOut()).isFalse();
            assertThat(job.output().lines(OutputChannel.STDOUT))
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "line" + i).toList());
        } finally {
            System.clearProperty(SshConnection.PING_PROPERTY);
            if (relay != null) {
                relay.destroyForcibly();
            }
        }
    }

    @Test
    void aJobIsReachableAgainAfterReconnecting() throws Exception {
        Job job = spawn("sleep", "30");
        long ssh = table.hosts().get(0).connectionPid();
        ProcessHandle.of(ssh).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> table.hosts().get(0).connectionPid() != ssh
                && "connected".equals(table.hosts().get(0).state()));
        assertThat(job.state()).isEqualTo(procsh.core.JobState.RUNNING);
        table.kill(job);
        table.waitFor(job, Duration.ofSeconds(20));
        assertThat(job.status()).isEqualTo("killed by SIGKILL (-9), sent by you");
    }

    @Test
    void exitWhileTheHostCannotBeReachedSaysWhatBecomesOfItsJobs() throws Exception {
        System.setProperty(SshLauncher.LINGER_PROPERTY, "300ms");
        String agent = System.getProperty(SshConnection.REMOTE_PROPERTY);
        try {
            Job job = spawn("sleep", "30");
            System.setProperty(SshConnection.REMOTE_PROPERTY, "/nonexistent/procsh"); // every reconnection fails from now on
            ProcessHandle.of(table.hosts().get(0).connectionPid()).ifPresent(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(10)).until(() -> table.hosts().get(0).state().startsWith("lost: procsh was not found"));
            assertThat(table.hosts().get(0).state()).endsWith("; next try in 1s");
            StringWriter out = new StringWriter();
            Shell shell = new Shell(ShellSession.plain(table));
            shell.run("spawn --host 127.0.0.1 true", new PrintWriter(out, true), new PrintWriter(out, true));
            shell.run("exit", new PrintWriter(out, true), new PrintWriter(out, true));
            // The spawn tries to connect at once, as the next reconnection would, and says why it cannot.
            assertThat(out.toString()).isEqualTo("spawn: procsh was not found on 127.0.0.1: install it there (it needs a JDK 17+) or set PROCSH_REMOTE\n"
                    + "[1] not reached on 127.0.0.1 (the connection is lost): its agent there stops it when procsh has not come back"
                    + " within the linger (PROCSH_REMOTE_LINGER)\n");
            table.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> !Leftovers.alive(job.pid()) && agents().isEmpty());
        } finally {
            System.setProperty(SshConnection.REMOTE_PROPERTY, agent);
            System.clearProperty(SshLauncher.LINGER_PROPERTY);
        }
    }

    @Test
    void anAbandonedAgentStopsItsJobsAfterTheLinger() throws Exception {
        System.setProperty(SshLauncher.LINGER_PROPERTY, "300ms");
        try {
            Job job = spawn("sleep", "30");
            ((SshLauncher) table.hosts().get(0)).abandon(); // as if procsh died: no bye, no reconnection
            await().atMost(Duration.ofSeconds(15)).until(() -> !Leftovers.alive(job.pid()) && agents().isEmpty());
        } finally {
            System.clearProperty(SshLauncher.LINGER_PROPERTY);
        }
    }

    @Test
    void anUnknownHostIsOneLine() {
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("true").host("nosuchhost.invalid")))
                .isInstanceOf(ProcshException.class)
                .hasMessageStartingWith("cannot reach nosuchhost.invalid: ssh: Could not resolve hostname")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("true").host("-oProxyCommand=touch /tmp/x")))
                .isInstanceOf(ProcshException.class).hasMessageStartingWith("bad host");
        assertThatThrownBy(() -> table.spawn(SpawnRequest.of("true").host(""))) // an empty variable, say: not this machine by surprise
                .isInstanceOf(ProcshException.class).hasMessageStartingWith("bad host ''");
        assertThat(table.jobs()).isEmpty();
    }

    @Test
    void aMissingRemoteProcshIsOneLine() {
        String agent = System.getProperty(SshConnection.REMOTE_PROPERTY);
        System.setProperty(SshConnection.REMOTE_PROPERTY, "/nonexistent/procsh");
        try {
            assertThatThrownBy(() -> spawn("true")).isInstanceOf(ProcshException.class)
                    .hasMessage("procsh was not found on 127.0.0.1: install it there (it needs a JDK 17+) or set PROCSH_REMOTE");
            // The launcher's own words when it finds no JDK there.
            System.setProperty(SshConnection.REMOTE_PROPERTY,
                    "sh -c 'echo procsh: no Java found: install a JDK 17 or newer, or set JAVA_HOME >&2; exit 1'");
            assertThatThrownBy(() -> spawn("true")).isInstanceOf(ProcshException.class).hasMessage(
                    "procsh on 127.0.0.1 cannot run: procsh: no Java found: install a JDK 17 or newer, or set JAVA_HOME");
        } finally {
            System.setProperty(SshConnection.REMOTE_PROPERTY, agent);
        }
    }

    @Test
    void refusedAuthenticationIsOneLine() throws Exception {
        Path config = temp.resolve("ssh_config");
        java.nio.file.Files.writeString(config, java.nio.file.Files.readString(SSHD.server().clientConfig())
                .replaceAll("IdentityFile .*", "IdentityFile /dev/null"));
        String good = System.getProperty(SshConnection.CONFIG_PROPERTY);
        System.setProperty(SshConnection.CONFIG_PROPERTY, config.toString());
        try {
            assertThatThrownBy(() -> spawn("true")).isInstanceOf(ProcshException.class)
                    .hasMessageStartingWith("cannot reach 127.0.0.1: ").hasMessageContaining("Permission denied")
                    .hasMessageNotContaining("\n");
        } finally {
            System.setProperty(SshConnection.CONFIG_PROPERTY, good);
        }
        assertThat(table.hosts().get(0).state()).isEqualTo("not connected");
    }

    @Test
    void closingTheSessionLeavesNothingThere() throws Exception {
        Job job = spawn("sleep", "30");
        long pid = job.pid();
        long ssh = table.hosts().get(0).connectionPid();
        Path controlDir = ((SshLauncher) table.hosts().get(0)).controlDir();
        String agentId = ((SshLauncher) table.hosts().get(0)).agentId();
        table.defaultGrace(Duration.ofMillis(500));
        table.close();
        assertThat(job.status()).isEqualTo("killed by SIGTERM (-15), sent by procsh's exit");
        await().atMost(Duration.ofSeconds(10)).until(() -> !Leftovers.alive(pid) && !Leftovers.alive(ssh));
        // No ssh process (client or master) still names the session's control socket.
        // Nor its agent there, nor the relay to it (named by the agent's id: another run's agent may still be lingering).
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").contains(controlDir.toString())
                        || p.info().commandLine().orElse("").contains(agentId)));
        // Nor a file of its agent there (socket, lock, log), nor the control directory here.
        assertThat(controlDir).doesNotExist();
        try (var files = java.nio.file.Files.list(AgentPaths.of(agentId).dir())) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.startsWith(agentId));
        }
    }
}

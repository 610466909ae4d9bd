package procsh.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.command.Shell;
import procsh.command.ShellSession;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.JobTerminal;
import procsh.core.OutputChannel;
import procsh.core.ProcshException;
import procsh.core.RestartPolicy;
import procsh.core.SpawnRequest;
import procsh.testing.TableFixture;

/** spawn --pty on another host (a real sshd on 127.0.0.1 and a real agent there), and attach to it from here. */
class RemotePtyTest {

    private static final String HOST = RemoteJobsTest.HOST;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final AgentSshd SSHD = new AgentSshd();

    @TempDir
    Path temp;
    JobTable table;


    @BeforeEach
    void open(org.junit.jupiter.api.TestInfo test) {
        table = TableFixture.open("native", temp);
        if (!test.getTestMethod().orElseThrow().getName().equals("anAttachOutlivesADroppedConnection")) {
            table.remoteLaunchers(host -> SSHD.lend());
        }
    }

    @AfterEach
    void close() {
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
    }

    private Job spawn(SpawnRequest request) {
        return table.spawn(request.host(HOST));
    }

    @Test
    void aRemotePtyJobHasATerminalThereOfTheSizeAsked() {
        Job job = spawn(SpawnRequest.of("sh", "-c", "tty; stty size; test -t 0 && test -t 2 && echo yes; echo TERM=$TERM")
                .terminal(120, 40, "xterm"));
        assertThat(job.terminal()).isNotNull();
        assertThat(job.terminal().path()).startsWith("/dev/pts/");
        await().atMost(WAIT).until(() -> job.hasEnded() && job.terminal().isClosed());
        assertThat(job.status()).isEqualTo("exited 0");
        assertThat(job.output().text(OutputChannel.STDOUT)).contains(job.terminal().path(), "40 120", "yes", "TERM=xterm");
        assertThat(job.output().text(OutputChannel.STDERR)).isEmpty();
    }

    @Test
    void theShellSpawnsItAndInfoShowsItsTerminal() throws Exception {
        Shell shell = new Shell(ShellSession.plain(table));
        String spawned = RemoteJobsTest.console(shell, "spawn --pty --host " + HOST + " cat");
        assertThat(spawned).doesNotContain("not there yet");
        Job job = table.get(1);
        assertThat(RemoteJobsTest.console(shell, "info 1")).contains("terminal", job.terminal().path() + " (80x24)");
        assertThat(RemoteJobsTest.console(shell, "close 1")).doesNotContain("error");
        await().atMost(WAIT).until(job::hasEnded);
        assertThat(job.status()).isEqualTo("exited 0");
    }

    @Test
    void sendTypesIntoTheRemoteTerminalAndCloseIsCtrlD() {
        Job job = spawn(SpawnRequest.of("cat").terminal());
        table.send(job, "hello\n");
        // Echoed by the terminal there, then written back by cat.
        await().atMost(WAIT).until(() -> job.output().text(OutputChannel.STDOUT).contains("hello\r\nhello\r\n"));
        table.closeStdin(job);
        await().atMost(WAIT).until(job::hasEnded);
        assertThat(job.status()).isEqualTo("exited 0");
        assertThatThrownBy(() -> table.send(job, "late\n")).isInstanceOf(ProcshException.class).hasMessageContaining("has ended");
    }

    @Test
    void attachShowsTheJobTypesIntoItAndResizesIt() throws Exception {
        Job job = spawn(SpawnRequest.of("sh", "-c", "read a; stty size; read b; echo got=$b; printf '\\033[?1049h'; read c; echo bye")
                .terminal());
        JobTerminal terminal = job.terminal();
        Screen screen = new Screen();
        assertThat(terminal.attach(screen)).isTrue();
        assertThat(terminal.attach(new Screen())).as("one viewer at a time").isFalse();
        assertThat(terminal.attached()).isTrue();

        terminal.resize(100, 30);
        type(terminal, "\n");
        await().atMost(WAIT).until(() -> screen.text().contains("30 100"));
        assertThat(terminal.columns()).isEqualTo(100);
        type(terminal, "hi\n");
        await().atMost(WAIT).until(() -> screen.text().contains("got=hi"));
        await().atMost(WAIT).until(terminal::alternateScreen);
        assertThat(terminal.fullScreen()).isTrue();

        terminal.detach(screen);
        assertThat(terminal.attached()).isFalse();
        int shown = screen.text().length();
        type(terminal, "\n");
        await().atMost(WAIT).until(() -> job.hasEnded() && terminal.isClosed());
        assertThat(job.output().text(OutputChannel.STDOUT)).contains("bye");
        assertThat(screen.text()).as("nothing after the detach").hasSize(shown);
        assertThat(terminal.attach(new Screen())).as("closed").isFalse();
    }

    @Test
    void anAttachOutlivesADroppedConnection() throws Exception {
        Job job = spawn(SpawnRequest.of("sh", "-c", "read a; echo got=$a; stty size; read b; echo got=$b").terminal());
        JobTerminal terminal = job.terminal();
        Screen screen = new Screen();
        assertThat(terminal.attach(screen)).isTrue();
        long ssh = table.hosts().get(0).connectionPid();
        ProcessHandle.of(ssh).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(WAIT).until(() -> !job.hostReachable());
        // Keys typed while the link is down say so, as a ConnectionLost: attach drops them and goes on, send reports it.
        assertThatThrownBy(() -> terminal.type("lost\n".getBytes(), 0, 5)).isInstanceOf(procsh.core.ConnectionLost.class);
        assertThatThrownBy(() -> table.send(job, "lost\n")).isInstanceOf(procsh.core.ProcshException.class)
                .hasMessage("cannot write to job 1: the connection to 127.0.0.1 was lost: procsh is reconnecting (`hosts` shows it)");
        assertThat(terminal.attached()).isTrue();
        terminal.resize(90, 25); // lost with the link: sent again once reconnected
        await().atMost(WAIT).until(job::hostReachable);
        type(terminal, "one\n");
        await().atMost(WAIT).until(() -> screen.text().contains("got=one") && screen.text().contains("25 90"));
        type(terminal, "two\n");
        await().atMost(WAIT).until(() -> screen.text().contains("got=two") && job.hasEnded());
        terminal.detach(screen);
    }

    @Test
    void aViewerLeftAttachedStopsWithTheSession() throws Exception {
        Job job = spawn(SpawnRequest.of("cat").terminal());
        assertThat(job.terminal().attach(new Screen())).isTrue(); // from a script, say, never detached
        table.keepJobs(true);
        table.close();
        try {
            await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("procsh-remote-pty-")));
        } finally {
            procsh.os.OsSignals.kill(job.pid(), table.signal("KILL")); // kept on purpose: the agent runs on this very machine
        }
    }

    @Test
    void anAttachedViewerSeesTheLastWordsBeforeTheTerminalCloses() throws Exception {
        Job job = spawn(SpawnRequest.of("sh", "-c", "read a; echo last words").terminal());
        Screen screen = new Screen();
        assertThat(job.terminal().attach(screen)).isTrue();
        type(job.terminal(), "\n");
        job.terminal().whenClosed().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(screen.text()).contains("last words");
        job.terminal().detach(screen);
        await().atMost(WAIT).until(job::hasEnded);
    }

    @Test
    void keysAJobDoesNotTakeAreDroppedAndCountedAsAtATerminalHere() throws Exception {
        // Raw, so a full terminal holds the writer up (a canonical one drops what overflows a line).
        Job job = spawn(SpawnRequest.of("sh", "-c", "stty raw -echo; echo ready; exec sleep 30").terminal());
        await().atMost(WAIT).until(() -> job.output().text(OutputChannel.STDOUT).contains("ready"));
        byte[] keys = new byte[192 << 10];
        java.util.Arrays.fill(keys, (byte) 'x');
        // A terminal takes a few KB for a program that reads nothing; attach drops the rest rather than fail.
        int typed = job.terminal().type(keys, 0, keys.length);
        assertThat(typed).isPositive().isLessThan(keys.length);
        assertThatThrownBy(() -> table.send(job, "more\n")).isInstanceOf(ProcshException.class)
                .hasMessageContaining("of 5 bytes: job 1 is not reading its stdin");
        table.kill(job);
        await().atMost(WAIT).until(job::hasEnded);
    }

    @Test
    void ptyWithRestartIsStillRefused() {
        assertThatThrownBy(() -> spawn(SpawnRequest.of("cat").terminal().restart(RestartPolicy.of(RestartPolicy.Mode.parse("always")))))
                .isInstanceOf(ProcshException.class).hasMessageContaining("--pty does not go with --restart");
    }

    private static void type(JobTerminal terminal, String keys) throws java.io.IOException {
        byte[] bytes = keys.getBytes(StandardCharsets.UTF_8);
        assertThat(terminal.type(bytes, 0, bytes.length)).isEqualTo(bytes.length);
    }

    /** A viewer that keeps what it was shown. */
    private static final class Screen implements JobTerminal.Viewer {
        private final ByteArrayOutputStream shown = new ByteArrayOutputStream();

        @Override
        public synchronized void show(byte[] bytes, int length) {
            shown.write(bytes, 0, length);
        }

        synchronized String text() {
            return shown.toString(StandardCharsets.UTF_8);
        }
    }
}

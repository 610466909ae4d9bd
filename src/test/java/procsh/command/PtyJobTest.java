package procsh.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.OutputChannel;
import procsh.core.ProcshException;
import procsh.core.SpawnRequest;
import procsh.testing.TableFixture;

/** spawn --pty and attach, on real pseudo-terminals. */
class PtyJobTest extends ShellFixture {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aPtyJobHasATerminalOfItsOwnOfTheSizeAsked() {
        Job job = table.spawn(SpawnRequest.of("sh", "-c", "tty; stty size; test -t 0 && test -t 2 && echo yes; echo TERM=$TERM")
                .terminal(120, 40, "xterm"));
        await().atMost(WAIT).until(() -> job.hasEnded() && job.terminal().isClosed());
        String out = job.output().text(OutputChannel.STDOUT);
        assertThat(out).contains(job.terminal().path(), "40 120", "yes", "TERM=xterm");
        assertThat(job.terminal().path()).startsWith("/dev/pts/");
        assertThat(job.output().text(OutputChannel.STDERR)).isEmpty();
    }

    @Test
    void sendTypesIntoTheTerminalAndCloseIsCtrlD() throws Exception {
        assertThat(run("spawn --pty cat")).isZero();
        assertThat(run("send 1 hello")).isZero();
        Job job = table.get(1);
        // Echoed by the terminal, then written back by cat.
        await().atMost(WAIT).until(() -> job.output().text(OutputChannel.STDOUT).contains("hello\r\nhello\r\n"));
        assertThat(run("close 1")).isZero();
        await().atMost(WAIT).until(job::hasEnded);
        assertThat(job.ending().describe()).isEqualTo("exited 0");
    }

    @Test
    void attachDrivesPythonAndCtrlBracketDetaches() throws Exception {
        PipedRawTerminal console = console(100, 30);
        assertThat(run("spawn --pty python3 -i -q")).isZero();
        Job job = table.get(1);
        await().atMost(WAIT).until(() -> job.output().text(OutputChannel.STDOUT).contains(">>> "));

        StringWriter said = new StringWriter();
        CompletableFuture<Integer> attach = attach("attach 1", said);
        console.type("print(6*7)\r");
        await().atMost(WAIT).until(() -> console.screen().contains("42"));
        assertThat(console.rawModes.get()).isEqualTo(1);
        console.type("\u001d");
        assertThat(attach.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(said.toString()).contains("attached to [1] python3", "detached from [1]; it keeps running (attach 1 returns)");
        assertThat(console.rawModes.get()).as("raw mode restored").isZero();
        assertThat(job.isAlive()).isTrue();

        said = new StringWriter();
        attach = attach("attach 1", said);
        console.type("exit()\r");
        assertThat(attach.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(said.toString()).contains("[1] exited 0");
        assertThat(job.ending().describe()).isEqualTo("exited 0");
    }

    @Test
    void attachSetsTheConsoleSizeAndForwardsResizes() throws Exception {
        assertThat(run("spawn --pty sh -c 'read a; stty size; read b; stty size'")).isZero();
        Job job = table.get(1);
        assertThat(job.terminal().columns()).as("no console at spawn: 80x24").isEqualTo(80);
        PipedRawTerminal console = console(100, 30);
        StringWriter said = new StringWriter();
        CompletableFuture<Integer> attach = attach("attach 1", said);
        console.type("\r");
        await().atMost(WAIT).until(() -> console.screen().contains("30 100"));
        console.resize(90, 20);
        console.type("\r");
        await().atMost(WAIT).until(() -> console.screen().contains("20 90"));
        assertThat(attach.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(said.toString()).contains("[1] exited 0");
        assertThat(job.output().text(OutputChannel.STDOUT)).contains("30 100", "20 90");
    }

    @Test
    void badAttachesAndPtysSayWhatIsWrongInOneLine() throws Exception {
        assertThat(run("spawn --pty sleep 30")).isZero();
        assertThat(run("attach 1")).isNotZero();
        assertThat(err.toString()).contains("attach needs the interactive console").doesNotContain("\n\n");
        console(80, 24);
        assertThat(run("spawn sleep 30")).isZero();
        assertThat(run("attach 2")).isNotZero();
        assertThat(err.toString()).contains("job 2 has no terminal: only a job started with spawn --pty can be attached");
        assertThat(run("spawn --pty true")).isZero();
        await().atMost(WAIT).until(() -> table.get(3).hasEnded());
        assertThat(run("attach 3")).isNotZero();
        assertThat(err.toString()).contains("job 3 has ended (exited 0): nothing to attach to");
        assertThat(run("spawn --pty --restart always true")).isNotZero();
        assertThat(err.toString()).contains("--pty does not go with --restart");
        assertThat(run("spawn --pty --stdin cat")).isNotZero();
        assertThat(err.toString()).contains("--pty and --stdin both give the job an input");
        assertThat(table.jobs()).hasSize(3);
    }

    @Test
    void theJdkBackendRefusesAPty() {
        JobTable jdk = TableFixture.open("jdk", temp.resolve("jdk"));
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdk.spawn(SpawnRequest.of("true").terminal()))
                    .isInstanceOf(ProcshException.class).hasMessageContaining("--pty needs the native backend");
            assertThat(jdk.jobs()).isEmpty();
        } finally {
            assertThat(TableFixture.closeAndFindLeftovers(jdk)).isEmpty();
        }
    }

    @Test
    void procshKeepsOnlyTheMasterAndNoThreadOnceTheTerminalCloses() throws Exception {
        long masters = descriptors("/dev/ptmx");
        Job job = table.spawn(SpawnRequest.of("sleep", "30").terminal());
        String slave = job.terminal().path();
        assertThat(descriptors(slave)).as("slave fds in procsh").isZero();
        assertThat(descriptors("/dev/ptmx")).isEqualTo(masters + 1);
        assertThat(pumpThreads()).isEqualTo(1);
        table.kill(job);
        await().atMost(WAIT).until(() -> job.terminal().isClosed());
        await().atMost(WAIT).untilAsserted(() -> assertThat(pumpThreads()).isZero());
        assertThat(descriptors("/dev/ptmx")).isEqualTo(masters);
    }

    private PipedRawTerminal console(int columns, int rows) {
        PipedRawTerminal console = new PipedRawTerminal(columns, rows);
        ShellSession session = ShellSession.plain(table);
        session.rawTerminal(console);
        shell = new Shell(session);
        return console;
    }

    private CompletableFuture<Integer> attach(String line, StringWriter said) {
        PrintWriter w = new PrintWriter(said, true);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return shell.run(line, w, w);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long pumpThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("procsh-pty-") && t.isAlive()).count();
    }

    private static long descriptors(String target) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(target);
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }
}

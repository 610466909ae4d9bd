package procsh.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.app.ProcshSession;
import procsh.command.ShellSession;
import procsh.core.JobTable;
import procsh.testing.Leftovers;
import procsh.testing.TableFixture;

/** The console on a JLine DumbTerminal: typing, TAB, Ctrl-C, Ctrl-D, notices and history, as a person meets them. */
class ConsoleTest {

    @TempDir
    Path temp;
    JobTable table;
    PipedOutputStream keys;
    SyncOutput screen;
    CompletableFuture<Integer> status;
    DumbTerminal terminal;
    Thread reader;

    /** Collects what the console writes, safely readable from the test thread. */
    static final class SyncOutput extends ByteArrayOutputStream {
        @Override
        public synchronized String toString() {
            return new String(toByteArray(), StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void start() throws IOException {
        table = TableFixture.open("native", temp);
        PipedInputStream in = new PipedInputStream(64 * 1024);
        keys = new PipedOutputStream(in);
        screen = new SyncOutput();
        terminal = new DumbTerminal("test", "ansi", in, screen, StandardCharsets.UTF_8);
        terminal.setSize(new Size(120, 40));
        Attributes attributes = terminal.getAttributes();
        attributes.setControlChar(Attributes.ControlChar.VINTR, 3);
        attributes.setControlChar(Attributes.ControlChar.VEOF, 4);
        terminal.setAttributes(attributes);
        ProcshSession session = procsh.app.Sessions.withEngines(new ProcshSession(table, new ShellSession(table, true, false, () -> 120)));
        Console console = new Console(session, terminal, temp.resolve("history"));
        status = new CompletableFuture<>();
        reader = new Thread(() -> {
            try {
                status.complete(console.run());
            } catch (IOException | RuntimeException e) {
                status.completeExceptionally(e);
            }
        }, "console-under-test");
        reader.setDaemon(true);
        reader.start();
    }

    @AfterEach
    void stop() throws Exception {
        table.defaultGrace(Duration.ofMillis(300));
        if (!status.isDone()) {
            type("exit\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> status.isDone() || plain().contains("exit again to stop"));
            if (!status.isDone()) {
                type("exit\n");
            }
            status.get(10, TimeUnit.SECONDS);
        }
        assertThat(Leftovers.of(table)).isEmpty();
    }

    void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    void awaitScreen(String text) {
        await().atMost(Duration.ofSeconds(10)).alias("screen shows '" + text + "'")
                .untilAsserted(() -> assertThat(plain()).contains(text));
    }

    /** The console has left the prompt and runs the typed line, so a Ctrl-C now reaches the command (a fixed sleep would not be enough on a loaded machine). */
    void awaitCommandRunning() {
        await().atMost(Duration.ofSeconds(10)).alias("the console runs a command")
                .until(() -> java.util.Arrays.stream(reader.getStackTrace()).anyMatch(f -> f.getMethodName().equals("runLine")));
    }

    /** The screen without escape sequences (JLine colours the matched part of candidates). */
    String plain() {
        return screen.toString().replaceAll("\u001b\\[[0-9;?]*[a-zA-Z]", "");
    }

    @Test
    void attachHandsTheKeyboardToAPtyJobCtrlCIncluded() throws Exception {
        awaitScreen("procsh> ");
        type("spawn --pty cat\n");
        awaitScreen("procsh [1]> ");
        assertThat(table.get(1).terminal().columns()).as("the console's size").isEqualTo(120);
        type("attach 1\n");
        awaitScreen("attached to [1] cat");
        awaitCommandRunning();
        type("hello\r");
        awaitScreen("hello\r\nhello");
        type("\u001d");
        awaitScreen("detached from [1]; it keeps running");
        type("attach 1\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> plain().split("attached to \\[1]", -1).length == 3);
        awaitCommandRunning();
        // A byte for the job's terminal, which makes it SIGINT for cat; procsh's own command is not interrupted.
        type("\u0003");
        awaitScreen("[1] killed by SIGINT (-2), from outside procsh");
        assertThat(plain()).doesNotContain("interrupted");
    }

    @Test
    void thePromptCountsRunningJobsAndCommandsRun() throws Exception {
        awaitScreen("procsh> ");
        type("spawn sleep 30\n");
        awaitScreen("procsh [1]> ");
        assertThat(plain()).containsPattern("\\[1\\] \\d+ sleep 30");
    }

    @Test
    void tabCompletesCommandsJobIdsAndSignals() throws Exception {
        awaitScreen("procsh> ");
        type("spawn sleep 30\n");
        awaitScreen("procsh [1]> ");
        type("pol\t1\n");
        awaitScreen("[1] running");
        type("kill 1 -USR\t");
        awaitScreen("-USR1");
        type("\u0015kill 1 -KIL\t\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> table.get(1).hasEnded());
        assertThat(table.get(1).ending().describe()).isEqualTo("killed by SIGKILL (-9), sent by you");
        type("spawn --restart on-f\t");
        awaitScreen("--restart on-failure ");
        type("\u0015attach \t");
        awaitScreen("attach 1");
        type("\u0015");
    }

    @Test
    void tabCompletesTheHostsSshKnows() throws Exception {
        Path config = temp.resolve("ssh_config");
        Files.writeString(config, "Host *.corp !bastion\n  User me\nHost web-1 db-2\n  Port 2222\n");
        System.setProperty("procsh.ssh.config", config.toString());
        try {
            awaitScreen("procsh> ");
            type("spawn --host we\t");
            awaitScreen("spawn --host web-1 ");
            type("\u0015spawn --host \t");
            awaitScreen("db-2");
            assertThat(plain()).doesNotContain("corp").doesNotContain("bastion");
            type("\u0015");
        } finally {
            System.clearProperty("procsh.ssh.config");
        }
    }

    @Test
    void smallConsoleThings() throws Exception {
        Path a = Files.createDirectory(temp.resolve("a"));
        Path b = Files.createDirectory(temp.resolve("b"));
        awaitScreen("procsh> ");
        type("cd -\n");
        awaitScreen("cd: no previous directory yet: cd somewhere first");
        type("cd " + a + "\ncd " + b + "\ncd -\npwd\n");
        // cd - prints where it went, as bash does, and goes there.
        await().atMost(Duration.ofSeconds(10)).until(() -> plain().split(java.util.regex.Pattern.quote(a.toString()), -1).length - 1 >= 3);
        assertThat(table.context().cwd()).isEqualTo(a);
        type("clear\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> screen.toString().contains("\u001b[H\u001b[2J"));
        // A typo before arguments is a mistyped command, not a Groovy error; Groovy stays Groovy.
        type("spwan sleep 1\n");
        awaitScreen("unknown command 'spwan': did you mean 'spawn'?");
        type("spwan = 4; spwan + 1\n");
        awaitScreen("=> 5");
        // The command completes first, with a space after it.
        type("spa\t");
        awaitScreen("spawn ");
        type("sleep 30\n");
        awaitScreen("procsh [1]> ");
        assertThat(table.get(1).commandLine()).isEqualTo("sleep 30");
        assertThat(plain()).doesNotContain("Groovy").doesNotContain("sleep(");
    }

    @Test
    void aJobEndingWhileTheUserTypesIsAnnouncedWithoutLosingTheLine() throws Exception {
        awaitScreen("procsh> ");
        type("spawn sh -c 'sleep 0.3; exit 4'\n");
        awaitScreen("procsh [1]> ");
        type("poll");
        awaitScreen("[1] exited 4  sh -c sleep 0.3; exit 4  (");
        type(" 1\n");
        awaitScreen("[1] exited 4\n");
    }

    @Test
    void anExitNoticeShowsAHostileCommandEscaped() throws Exception {
        awaitScreen("procsh> ");
        // Spawned through the table: typed, the ESC would be a key to the line editor.
        table.spawn(procsh.core.SpawnRequest.of(java.util.List.of("sh", "-c", "sleep 0.2", "x\u001b]0;pwned\u0007")));
        awaitScreen("[1] exited 0  sh -c sleep 0.2 x\\e]0;pwned\\a  (");
        assertThat(screen.toString()).doesNotContain("\u001b]0;pwned");
    }

    @Test
    void anExitNoticeSaysWhatTheJobLeftRunning() throws Exception {
        awaitScreen("procsh> ");
        type("spawn sh -c 'sleep 30 & sleep 0.2'\n");
        awaitScreen("[1] exited 0  sh -c sleep 30 & sleep 0.2  (");
        awaitScreen("; 1 process of it still runs (stop 1 --tree ends it)");
    }

    @Test
    void ctrlCDuringWaitReturnsToThePromptAndLeavesTheJobRunning() throws Exception {
        awaitScreen("procsh> ");
        type("spawn sleep 30\n");
        awaitScreen("procsh [1]> ");
        type("wait 1\n");
        awaitCommandRunning();
        // On a real terminal the kernel turns Ctrl-C into SIGINT, which JLine hands to the console's handler.
        terminal.raise(org.jline.terminal.Terminal.Signal.INT);
        awaitScreen("wait: interrupted; the jobs keep running");
        assertThat(table.get(1).isAlive()).isTrue();
        type("poll 1\n");
        awaitScreen("[1] running");
    }

    @Test
    void ctrlCAtThePromptClearsTheLine() throws Exception {
        awaitScreen("procsh> ");
        type("spawn sleep 30\u0003");
        type("list\n");
        awaitScreen("no jobs (start one with spawn)");
        assertThat(table.jobs()).isEmpty();
    }

    @Test
    void exitWarnsOnceThenStopsTheJobs() throws Exception {
        awaitScreen("procsh> ");
        type("spawn sleep 30\n");
        awaitScreen("procsh [1]> ");
        type("exit\n");
        awaitScreen("there is 1 running job: [1]");
        assertThat(status).isNotDone();
        type("exit\n");
        assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(plain()).contains("[1] killed by SIGTERM (-15), sent by procsh's exit");
        assertThat(Leftovers.of(table)).isEmpty();
    }

    @Test
    void ctrlDOnAnEmptyLineIsExit() throws Exception {
        awaitScreen("procsh> ");
        type("\u0004");
        assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void groovyLinesShareTheSessionAndCompleteTheirMembers() throws Exception {
        awaitScreen("procsh> ");
        type("def p = spawn('sleep', '30')\n");
        awaitScreen("procsh [1]> ");
        type("p.pi\t\n");
        awaitScreen("=> " + table.get(1).pid());
        type("def total = [1, 2,\n3].sum()\n");
        type("total\n");
        awaitScreen("=> 6");
    }

    @Test
    void ctrlCStopsAnEndlessGroovyLoopAndTheVariablesSurvive() throws Exception {
        awaitScreen("procsh> ");
        type("def kept = 41\n");
        awaitScreen("=> 41");
        type("while (true) { }\n");
        awaitScreen("while (true) { }");
        awaitCommandRunning();
        terminal.raise(org.jline.terminal.Terminal.Signal.INT);
        awaitScreen("interrupted");
        type("kept + 1\n");
        awaitScreen("=> 42");
    }

    @Test
    void historyIsKeptInAPrivateFile() throws Exception {
        awaitScreen("procsh> ");
        type("pwd\n");
        type("history\n");
        awaitScreen("    1  pwd");
        type("exit\n");
        status.get(10, TimeUnit.SECONDS);
        Path history = temp.resolve("history");
        assertThat(Files.readString(history)).contains("pwd");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
    }

    @Test
    void aLongPasteThatArrivesAsKeystrokesIsOneInsert() throws Exception {
        awaitScreen("procsh> ");
        // Without bracketed paste every character redrew the whole line: 20,000 took over a minute.
        long start = System.nanoTime();
        type("x = '" + "a".repeat(20_000) + "'; x.length()\n");
        awaitScreen("=> 20000");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void eachRestartIsAnnouncedAndTheFinalEndToo() throws Exception {
        awaitScreen("procsh> ");
        type("spawn --restart on-failure --max-restarts 1 --backoff 100ms sh -c 'exit 2'\n");
        awaitScreen("[1] exited 2  sh -c exit 2  restart 1 in 100ms (on-failure)");
        awaitScreen("[1] exited 2  sh -c exit 2  (");
    }

    @Test
    void linesThatSetAVariablesValueAreNeverWrittenToTheHistoryFile() throws Exception {
        awaitScreen("procsh> ");
        type("setenv DB_PASSWORD=hunter2\n");
        type("spawn --env API_TOKEN=s3cret true\n");
        type("setenv('GROOVY_TOKEN', 'g-s3cret')\n");
        type("spawn(env: [K: 'map-s3cret'], 'true')\n");
        type("pwd\n");
        type("history\n");
        awaitScreen("    1  pwd");
        type("exit\n");
        status.get(10, TimeUnit.SECONDS);
        String kept = Files.readString(temp.resolve("history"));
        assertThat(kept).contains("pwd").doesNotContain("hunter2").doesNotContain("s3cret");
        assertThat(plain()).contains("    1  pwd\n    2  history\n");
    }
}

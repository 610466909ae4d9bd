package procsh.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.app.ProcshSession;
import procsh.command.Shell;
import procsh.command.ShellSession;
import procsh.console.Console;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.OutputChannel;
import procsh.core.ProcshException;
import procsh.core.SessionDirectory;
import procsh.testing.TableFixture;

/**
 * The security promises: private state (directory 0700, logs and history 0600, created that way
 * whatever the umask), a state directory others could read or that is not ours refused with a clear
 * message, arguments passed exactly as typed, and environment values kept out of list.
 */
class SecurityTest {

    @TempDir
    Path temp;

    record Run(int status, String out, String err) {
    }

    /** procsh as a separate process under {@code umask 000}, its state in {@code state}. */
    private Run procsh(Path state, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "umask 000; exec \"$@\"", "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "procsh.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
        builder.environment().put("XDG_STATE_HOME", state.toString());
        Path out = temp.resolve("out.txt");
        Path err = temp.resolve("err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = builder.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("procsh ended").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    // ------------------------------------------------------------------ private state

    @Test
    void stateIsCreatedPrivateEvenUnderAnOpenUmask() throws Exception {
        Path state = temp.resolve("xdg").resolve("state");
        Run run = procsh(state, "-c", "spawn sh -c 'echo out; echo err >&2'", "-c", "wait 1");
        assertThat(run.status()).as(run.err()).isZero();
        Path base = state.resolve("procsh");
        assertThat(mode(state)).as("a missing $XDG_STATE_HOME is created 0700").isEqualTo("rwx------");
        assertThat(mode(base)).isEqualTo("rwx------");
        List<Path> sessions;
        try (Stream<Path> list = Files.list(base)) {
            sessions = list.toList();
        }
        assertThat(sessions).hasSize(1);
        Path session = sessions.get(0);
        assertThat(mode(session)).isEqualTo("rwx------");
        assertThat(mode(session.resolve("1.out"))).isEqualTo("rw-------");
        assertThat(mode(session.resolve("1.err"))).isEqualTo("rw-------");
        assertThat(Files.readString(session.resolve("1.out"))).isEqualTo("out\n");
        assertThat(Files.readString(session.resolve("1.err"))).isEqualTo("err\n");
    }

    @Test
    void aStateDirectoryOthersCanReadIsRefusedWithAClearMessage() throws Exception {
        Path state = Files.createDirectories(temp.resolve("state"));
        Path base = Files.createDirectory(state.resolve("procsh"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run run = procsh(state, "-c", "spawn true");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("procsh: refusing to use " + base + ": others can read it (mode rwxr-xr-x); run chmod 700 "
                + base + "\n");
        assertThat(run.out()).isEmpty();
        try (Stream<Path> list = Files.list(base)) {
            assertThat(list.toList()).as("nothing was created in it").isEmpty();
        }
        assertThat(mode(base)).as("left as it was").isEqualTo("rwxr-xr-x");

        // In process, the other ways a directory can be open to others, or not a directory of ours.
        for (String loose : List.of("rwxr-x---", "rwx---r-x", "rwx-----x", "rwx-w----", "rwx------")) {
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString(loose));
            if (loose.equals("rwx------")) {
                assertThat(SessionDirectory.create(base).root()).startsWith(base);
            } else {
                assertThatThrownBy(() -> SessionDirectory.create(base)).as(loose).isInstanceOf(ProcshException.class)
                        .hasMessage("refusing to use " + base + ": others can read it (mode " + loose + "); run chmod 700 " + base);
            }
        }
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertThatThrownBy(() -> SessionDirectory.create(file)).hasMessageContaining("refusing to use " + file + ": it is not a directory");
    }

    @Test
    void aStateDirectoryOwnedBySomeoneElseIsRefused() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory away");
        Path base = Files.createDirectory(temp.resolve("procsh"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(base, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        String owner = Files.getOwner(base, LinkOption.NOFOLLOW_LINKS).getName();
        assertThatThrownBy(() -> SessionDirectory.create(base)).isInstanceOf(ProcshException.class)
                .hasMessage("refusing to use " + base + ": it belongs to " + owner + ", not root");
    }

    @Test
    void aHistoryFileOthersCouldReadIsMadePrivateBeforeAnythingIsWritten() throws Exception {
        Path history = Files.writeString(temp.resolve("history"), "old line\n");
        Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-r--r--"));
        JobTable table = TableFixture.open("native", temp);
        PipedInputStream in = new PipedInputStream(4096);
        PipedOutputStream keys = new PipedOutputStream(in);
        DumbTerminal terminal = new DumbTerminal("test", "ansi", in, new java.io.ByteArrayOutputStream(), StandardCharsets.UTF_8);
        terminal.setSize(Size.of(120, 40));
        Attributes attributes = terminal.getAttributes();
        attributes.setControlChar(Attributes.ControlChar.VINTR, 3);
        attributes.setControlChar(Attributes.ControlChar.VEOF, 4);
        terminal.setAttributes(attributes);
        ProcshSession session = new ProcshSession(table, new ShellSession(table, true, false, () -> 120));
        Console console = new Console(session, terminal, history);
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
            try {
                return console.run();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> mode(history).equals("rw-------"));
        keys.write("pwd\nexit\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        assertThat(status.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(mode(history)).isEqualTo("rw-------");
        assertThat(Files.readString(history)).contains("pwd");
        assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
    }

    // ------------------------------------------------------------------ arguments

    private static final List<String> TYPED = List.of("'*'", "*", "'$HOME'", "$HOME", "\"\\$(id)\"", "'`id`'", "~", "~root", "'a b'", "a\\ b",
            "''", "\"x'y\"", "'{a,b}'", "{a,b}", "/*", "'\u00e9\u2603'", "-n", "--name", "'%s'", "'\\'", "'>'", "'|'", "';'", "'#'", "\"\t\"",
            "'$((1+1))'", "'!!'", "'a\nb'", "\"${PATH}\"");
    private static final List<String> RECEIVED = List.of("*", "*", "$HOME", "$HOME", "$(id)", "`id`", "~", "~root", "a b", "a b",
            "", "x'y", "{a,b}", "{a,b}", "/*", "\u00e9\u2603", "-n", "--name", "%s", "\\", ">", "|", ";", "#", "\t",
            "$((1+1))", "!!", "a\nb", "${PATH}");

    @Test
    void argumentsReachTheProgramExactlyAsTypedThroughTheCommandLayer() throws Exception {
        for (String backend : List.of("native", "jdk")) {
            JobTable table = TableFixture.open(backend, Files.createDirectories(temp.resolve(backend)));
            try {
                Shell shell = new Shell(ShellSession.plain(table));
                StringWriter text = new StringWriter();
                String line = "spawn printf '%s\\0' " + String.join(" ", TYPED) + "; wait 1";
                assertThat(shell.run(line, new PrintWriter(text, true), new PrintWriter(text, true))).as(backend + ": " + text).isZero();
                Job job = table.get(1);
                assertThat(job.argv().subList(2, job.argv().size())).as(backend).containsExactlyElementsOf(RECEIVED);
                String printed = job.output().text(OutputChannel.STDOUT);
                assertThat(List.of(printed.split("\0", -1)).subList(0, RECEIVED.size())).as(backend).containsExactlyElementsOf(RECEIVED);
                assertThat(printed).endsWith("\0");
            } finally {
                assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
            }
        }
    }

    @Test
    void anAtWordReachesTheProgramAsTyped() throws Exception {
        Path file = Files.writeString(temp.resolve("args.txt"), "hello from the file\n");
        JobTable table = TableFixture.open("native", temp);
        try {
            Shell shell = new Shell(ShellSession.plain(table));
            StringWriter text = new StringWriter();
            assertThat(shell.run("spawn printf '%s\\n' @" + file + " @@x; wait 1", new PrintWriter(text, true), new PrintWriter(text, true)))
                    .isZero();
            assertThat(table.get(1).output().lines(OutputChannel.STDOUT)).containsExactly("@" + file, "@@x");
        } finally {
            assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
        }
    }

    // ------------------------------------------------------------------ environment values

    @Test
    void environmentValuesAreKeptOutOfListAndInfoUnlessAsked() throws Exception {
        JobTable table = TableFixture.open("native", temp);
        try {
            Shell shell = new Shell(ShellSession.plain(table));
            String sessionValue = "s3ss10n-v4lue-" + System.nanoTime();
            String jobValue = "j0b-v4lue-" + System.nanoTime();
            StringWriter text = new StringWriter();
            PrintWriter w = new PrintWriter(text, true);
            assertThat(shell.run("setenv SESSION_SECRET=" + sessionValue, w, w)).isZero();
            assertThat(shell.run("spawn --name envjob --env JOB_SECRET=" + jobValue + " sleep 30", w, w)).as(text.toString()).isZero();
            Job job = table.get("envjob");
            Path environ = Path.of("/proc", Long.toString(job.pid()), "environ");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(environ, StandardCharsets.ISO_8859_1))
                    .as("both reached the job").contains("SESSION_SECRET=" + sessionValue).contains("JOB_SECRET=" + jobValue));

            for (String line : List.of("list", "list --json", "ps", "jobs", "list --running", "list --running --json", "jobs --json")) {
                text.getBuffer().setLength(0);
                assertThat(shell.run(line, w, w)).as(line).isZero();
                assertThat(text.toString()).as(line).contains("sleep").doesNotContain(jobValue).doesNotContain(sessionValue);
            }
            for (String line : List.of("info envjob", "info envjob --json")) {
                text.getBuffer().setLength(0);
                assertThat(shell.run(line, w, w)).as(line).isZero();
                assertThat(text.toString()).as(line).contains("JOB_SECRET").doesNotContain(jobValue).doesNotContain(sessionValue);
            }
            for (String line : List.of("info envjob --env-values", "info envjob --json --env-values")) {
                text.getBuffer().setLength(0);
                assertThat(shell.run(line, w, w)).as(line).isZero();
                assertThat(text.toString()).as(line).contains("JOB_SECRET=" + jobValue);
            }
            text.getBuffer().setLength(0);
            assertThat(shell.run("env SESSION_SECRET", w, w)).isZero();
            assertThat(text.toString()).isEqualTo("SESSION_SECRET=" + sessionValue + "\n");
        } finally {
            assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
        }
    }

    @Test
    void infoEnvValuesShowsTheValuesAJobGotFromSetenvToo() throws Exception {
        JobTable table = TableFixture.open("native", temp);
        try {
            Shell shell = new Shell(ShellSession.plain(table));
            StringWriter text = new StringWriter();
            PrintWriter w = new PrintWriter(text, true);
            shell.run("setenv SESSION_SECRET=visible-in-info; spawn sleep 30", w, w);
            text.getBuffer().setLength(0);
            assertThat(shell.run("info 1 --env-values", w, w)).isZero();
            assertThat(text.toString()).contains("SESSION_SECRET=visible-in-info");
        } finally {
            assertThat(TableFixture.closeAndFindLeftovers(table)).isEmpty();
        }
    }
}

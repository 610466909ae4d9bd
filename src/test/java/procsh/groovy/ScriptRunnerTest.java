package procsh.groovy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.command.CommandRunner;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.testing.Leftovers;
import procsh.testing.TableFixture;

/** Saved scripts: exit status, errors on stderr, jobs stopped at the end unless kept; source into a session. */
class ScriptRunnerTest {

    @TempDir
    Path temp;
    JobTable table;
    final StringWriter outText = new StringWriter();
    final StringWriter errText = new StringWriter();
    final PrintWriter out = new PrintWriter(outText, true);
    final PrintWriter err = new PrintWriter(errText, true);

    @BeforeEach
    void open() {
        table = TableFixture.open("native", temp);
        table.defaultGrace(Duration.ofMillis(500));
    }

    @AfterEach
    void close() {
        assertThat(TableFixture.closeAndFindLeftovers(table)).as("processes left running").isEmpty();
    }

    Path script(String name, String text) throws IOException {
        return Files.writeString(temp.resolve(name), text);
    }

    int run(Path script, String... args) {
        return new ScriptRunner(table, null).run(script, List.of(args), out, err);
    }

    @Test
    void theExitStatusIsWhatTheScriptPassedToExit() throws Exception {
        Path file = script("args.groovy", "println \"args: ${args.toList()} (${args.length})\"\nexit(args[0] as int)\nprintln 'not reached'");
        assertThat(run(file, "3", "two words")).isEqualTo(3);
        assertThat(outText.toString()).isEqualTo("args: [3, two words] (2)\n");
        assertThat(run(script("quiet.groovy", "def x = 1"))).isZero();
        assertThat(run(script("early.groovy", "if (true) { exit() }\nthrow new RuntimeException('not reached')"))).isZero();
        assertThat(errText.toString()).isEmpty();
    }

    @Test
    void anUncaughtErrorIsStatusOneWithTheMessageAndTheScriptLine() throws Exception {
        assertThat(run(script("fails.groovy", "println 'before'\n\ndef p = spawn('no-such-program-procsh')"))).isEqualTo(1);
        assertThat(errText.toString()).startsWith("fails.groovy, line 3: ").contains("no-such-program-procsh").hasLineCount(1);
        errText.getBuffer().setLength(0);
        assertThat(run(script("bad-syntax.groovy", "def a = 1\nif (a {\n}\n"))).isEqualTo(1);
        assertThat(errText.toString()).isEqualTo("bad-syntax.groovy, line 2, column 7: Unexpected input: '{'\n  if (a {\n        ^\n");
        errText.getBuffer().setLength(0);
        assertThat(run(temp.resolve("missing.groovy"))).isEqualTo(2);
        assertThat(errText.toString()).isEqualTo(temp.resolve("missing.groovy") + ": no such file\n");
    }

    @Test
    void jobsStillRunningAtTheEndAreStoppedAndSaidSo() throws Exception {
        assertThat(run(script("leaves.groovy", "spawn('sleep', '30'); spawn('sh', '-c', 'trap \"\" TERM; sleep 30 & wait')"))).isZero();
        assertThat(table.running()).isEmpty();
        assertThat(table.get(1).ending().describe()).isEqualTo("killed by SIGTERM (-15), sent by procsh's exit");
        assertThat(Leftovers.of(table)).isEmpty();
        assertThat(errText.toString()).contains("script ended: stopped job 1 (sleep 30): killed by SIGTERM")
                .contains("script ended: stopped job 2 (sh -c ");
    }

    @Test
    void keepJobsLeavesThemRunning() throws Exception {
        assertThat(run(script("keeps.groovy", "spawn('sleep', '30'); keepJobs()"))).isZero();
        Job kept = table.get(1);
        assertThat(kept.isAlive()).isTrue();
        assertThat(table.keepJobs()).isTrue();
        assertThat(errText.toString()).isEmpty();
        table.keepJobs(false);
    }

    @Test
    void shInAScriptReachesTheCommands() throws Exception {
        CommandRunner commands = new CommandRunner() {
            @Override
            public int run(String line, PrintWriter o, PrintWriter e) {
                o.println("command: " + line);
                return 4;
            }

            @Override
            public boolean isCommand(String line) {
                return true;
            }
        };
        int status = new ScriptRunner(table, commands).run(script("sh.groovy", "exit(sh('list --json'))"), List.of(), out, err);
        assertThat(status).isEqualTo(4);
        assertThat(outText.toString()).isEqualTo("command: list --json\n");
    }

    @Test
    void sourceRunsAFileInTheSessionSoItsJobsAndVariablesStay() throws Exception {
        try (GroovyEngine engine = new GroovyEngine(table)) {
            engine.eval("def before = 'prompt'", out, err);
            Path file = script("setup.groovy", "def server = spawn(name: 'server', 'sleep', '30')\ndef seen = before + ' ' + args.join(',')\n");
            assertThat(engine.source(file, List.of("a", "b"), out, err)).isZero();
            assertThat(engine.eval("seen", out, err)).isEqualTo("prompt a,b");
            assertThat(engine.eval("server.alive && jobs['server'].is(server)", out, err)).isEqualTo(true);
            assertThat(engine.eval("args.length", out, err)).as("args are the file's only while it runs").isEqualTo(0);
            assertThat(engine.source(script("stops.groovy", "exit(5)"), List.of(), out, err)).isEqualTo(5);
            assertThat(engine.source(script("oops.groovy", "\nnothing.here"), List.of(), out, err)).isEqualTo(1);
            assertThat(errText.toString()).isEqualTo("oops.groovy, line 2: unknown variable 'nothing'\n");
            // A file sourced from a script runs in place, in the same session.
            engine.commands(new CommandRunner() {
                @Override
                public int run(String line, PrintWriter o, PrintWriter e) throws InterruptedException {
                    return engine.source(temp.resolve(line.substring("source ".length())), List.of(), o, e);
                }

                @Override
                public boolean isCommand(String line) {
                    return line.startsWith("source ");
                }
            });
            script("inner.groovy", "def fromInner = 'inner ran'");
            assertThat(engine.eval("sh 'source inner.groovy'", out, err)).isEqualTo(0);
            assertThat(engine.eval("fromInner", out, err)).isEqualTo("inner ran");
            engine.eval("server.kill()", out, err);
        }
    }

    @Test
    void theEngineLoadsNoGroovyUntilFirstUse() throws Exception {
        List<String> loaded = IsolatedLoading.classesLoadedBy(loader -> {
            Class<?> engine = loader.loadClass(GroovyEngine.class.getName());
            Object instance = engine.getConstructor(loader.loadClass(JobTable.class.getName())).newInstance((Object) null);
            engine.getMethod("format", Object.class).invoke(instance, (Object) null);
            engine.getMethod("interrupt").invoke(instance);
            engine.getMethod("close").invoke(instance);
        });
        assertThat(loaded).contains(GroovyEngine.class.getName())
                .noneMatch(name -> name.startsWith("groovy.") || name.startsWith("org.codehaus.groovy.") || name.startsWith("org.apache.groovy."));
    }

    @Test
    void anInterruptedScriptIsStatus130AndItsJobsAreStopped() throws Exception {
        Path file = script("forever.groovy", "spawn('sleep', '30')\nwhile (true) {}");
        Thread runner = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> !table.running().isEmpty());
            runner.interrupt();
        });
        interrupter.start();
        assertThat(run(file)).isEqualTo(130);
        interrupter.join();
        assertThat(Thread.interrupted()).isTrue();
        assertThat(errText.toString()).contains("forever.groovy: interrupted");
        assertThat(table.running()).isEmpty();
    }
}

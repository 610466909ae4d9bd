package procsh.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.command.Shell;
import procsh.command.ShellSession;
import procsh.core.JobTable;
import procsh.core.SessionContext;
import procsh.core.SessionDirectory;
import procsh.groovy.ScriptRunner;
import procsh.os.Backends;
import procsh.testing.Leftovers;

/**
 * Saved Groovy scripts that do not compile or that throw, run as {@code procsh script.groovy}
 * runs them ({@link ScriptRunner}): nothing escapes, the status is 0, 1, 2, 130 (a script that
 * throws InterruptedException) or what the script passed to exit, an error is told in at most
 * three lines naming the script, and never as a stack trace. Scripts are
 * built from procsh's script API, Groovy syntax broken at random, throws of every kind (errors
 * included), random bytes and unicode. Spawning is refused by a {@link GatedBackend}; the
 * vocabulary holds nothing that loops, sleeps or waits long (durations are numbers of ms, so that a
 * mutation cannot turn 1ms into 1m), runs programs through Groovy, or exits the JVM.
 */
class GroovyScriptFuzzTest {

    private static final int SCRIPTS = Integer.getInteger("procsh.fuzz.scripts", 200);
    private static final String SCRIPT_ERR = "E-MARK";

    private static final List<String> STATEMENTS = List.of(
            "def p = spawn('sleep', '1')", "spawn(name: 'x', cwd: '/no/such', 'true')", "spawn(shell: true, 'echo hi')",
            "spawn([])", "spawn(null)", "spawn(timeout: 'soon', 'true')", "spawn(env: [A: null], 'true')",
            "sh('list')", "sh 'kill 99'", "sh('spawn sleep 1')", "sh('stop 1')", "sh(null)", "sh('wait --timeout 0')",
            "println jobs", "println jobs[1]", "jobs['nope'].kill()", "jobs[99].pid", "exit(3)", "exit()", "exit(5)", "exit('x')",
            "keepJobs()", "keepJobs(false)", "waitAll(0)", "waitAll(1)", "waitAny(1)", "waitAll('forever')", "sleep(1)",
            "sleep(-1)", "throw new RuntimeException('boom')", "throw new IllegalStateException()", "throw new Exception()",
            "throw new Error('an error')", "throw new StackOverflowError()", "throw new OutOfMemoryError('pretend')",
            "throw new InterruptedException('pretend')", "throw new procsh.core.ProcshException('from procsh')", "throw null",
            "assert false", "assert 1 == 2 : 'message'", "1/0", "null.foo()", "def x = [1, 2, 3]; x[10].bar", "'abc' as int",
            "Integer.parseInt('x')", "args[5]", "args[-100]", "new Object().missing()", "undefinedVariable", "undefinedMethod(1)",
            "def f(n) { f(n + 1) }; f(0)", "def g(n) { n <= 0 ? 0 : 1 + g(n - 1) }; g(100000)", "[a: 1].b.c", "def (a, b) = 1",
            "switch (1) { case 1: throw new Exception('c') }", "try { throw new Exception('t') } finally { }",
            "evaluate('1 +')", "Eval.me('x')", "this.binding.foo", "out.println 'x'", "err.println '" + SCRIPT_ERR + "'",
            "printf('%d', 'x')", "String.format('%q')", "[].first()", "Collections.emptyList().add(1)", "'a'.charAt(5)",
            "(1..3).collect { it / 0 }", "def m = [:]; m.x.y = 1", "println 'ok'", "return 5", "return", "def s = 'x' * -1",
            "new int[-1]", "Class.forName('no.Such')", "'x'.toInteger()", "([] as Object[])[0]", "def c = { -> throw new Exception('closure') }; c()",
            "List<String> l = 5", "int i = 'x'", "def t = new Thread({ throw new RuntimeException('in a thread') }); t.start(); t.join()",
            "import does.not.Exist", "class A { void m( }", "def s = \"unterminated", "'''unterminated", "/* unterminated comment",
            "{ ->", "})", "def def = 1", "if (", "else", "case 1:", "@interface X {}", "package a.b", "\"${\"", "\"${ -> throw new Exception('gstring') }\"",
            "println \"\\u12\"", "def x = 09", "0x", "1e", "def \u00e9 = 1; \u00e9 / 0", "\u0000", "\ufeffprintln 1", "\\", "'\\'", "@");
    private static final List<String> TOKENS = List.of("def", "if", "else", "{", "}", "(", ")", "[", "]", ";", "->", "=", "==", "+",
            "'s'", "\"s\"", "\"${", "}\"", "1", "0x", "1e", "null", "true", "class", "new", "return", "throw", "try", "catch", "finally",
            "import", "package", "assert", "in", "as", ".", "?.", "*.", "@", "//", "/*", "*/", "\n", ",", ":", "?", "<<", ">>", "spawn",
            "sh", "jobs", "args", "exit", "println", "it", "this", "super", "static", "void", "int", "String", "Object", "'''", "\"\"\"");

    @TempDir
    Path temp;

    @Test
    void brokenAndThrowingScriptsAreToldInAFewLinesAndNothingEscapes() throws Exception {
        long seed = Long.getLong("procsh.fuzz.seed", System.nanoTime() ^ Double.doubleToLongBits(Math.random()));
        System.out.println("[fuzz] groovy: seed " + seed + " (replay: -Dprocsh.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        GatedBackend backend = new GatedBackend(Backends.byName("native"));
        backend.shut();
        JobTable table = new JobTable(backend, SessionDirectory.create(temp.resolve("state").resolve("procsh")),
                new SessionContext(temp, System.getenv()));
        table.defaultGrace(Duration.ofMillis(300));
        Shell shell = new Shell(ShellSession.plain(table));
        Map<Integer, Integer> statuses = new TreeMap<>();
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "procsh-groovy-fuzz");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        long slowest = 0;
        int rawCarriageReturns = 0;
        try {
            for (int i = 0; i < SCRIPTS; i++) {
                String source = script(random);
                Path file = Files.writeString(temp.resolve("fuzz-" + i + ".groovy"), source, StandardCharsets.UTF_8);
                StringWriter outText = new StringWriter();
                StringWriter errText = new StringWriter();
                String where = "script #" + i + " " + ShellFuzzTest.show(source) + " (seed " + seed + "; replay with -Dprocsh.fuzz.seed="
                        + seed + ")";
                long s = System.nanoTime();
                Future<Integer> run = runner.submit(() -> {
                    int status = new ScriptRunner(table, shell).run(file, List.of("a1"), new PrintWriter(outText, true),
                            new PrintWriter(errText, true));
                    assertThat(Thread.interrupted()).as("interrupt status left by the script").isFalse();
                    return status;
                });
                int status;
                try {
                    status = run.get(20, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    run.cancel(true);
                    throw new AssertionError(where + " hangs");
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError(where + " threw " + e.getCause(), e.getCause());
                }
                slowest = Math.max(slowest, System.nanoTime() - s);
                statuses.merge(status, 1, Integer::sum);
                String err = errText.toString();
                if (source.contains("exit")) {
                    // A mutated exit(5) may name any status: exit(55), exit(0)...
                    assertThat(status).as("%s status; err: %s", where, err).isBetween(0, 255);
                } else {
                    assertThat(status).as("%s status; err: %s", where, err).isIn(0, 1, 2, 3, 5, 130);
                }
                assertThat(err).as("%s: a stack trace", where).doesNotContain("\tat ").doesNotContain("\n\tat");
                if (status == 1) {
                    // What the script printed itself (sh's errors, err.println) comes first; procsh's report last.
                    // Lines end at \n only: a CR in the source is echoed raw in the excerpt (counted below).
                    List<String> lines = List.of(err.split("\n"));
                    if (err.indexOf('\r') >= 0 && source.indexOf('\r') >= 0) {
                        rawCarriageReturns++;
                    }
                    int report = -1;
                    for (int l = lines.size() - 1; l >= 0; l--) {
                        if (lines.get(l).startsWith(file.getFileName() + ", line ") || lines.get(l).startsWith(file.getFileName() + ": ")) {
                            report = l;
                            break;
                        }
                    }
                    assertThat(report).as("%s: an error report naming the script in %s", where, ShellFuzzTest.show(err)).isNotNegative();
                    assertThat(lines.size() - report).as("%s: the report in one to three lines: %s", where, ShellFuzzTest.show(err))
                            .isBetween(1, 3);
                }
                assertThat(table.jobs()).as("%s: no job was started", where).isEmpty();
            }
        } finally {
            runner.shutdownNow();
            table.close();
        }
        System.out.printf("[fuzz] groovy: %d scripts in %d ms (slowest %d ms), statuses %s, %d spawns refused by the gate; %d error"
                + " excerpts echoed a CR of the source raw%n", SCRIPTS, (System.nanoTime() - t0) / 1_000_000, slowest / 1_000_000, statuses,
                backend.refused(), rawCarriageReturns);
        assertThat(Leftovers.of(table)).isEmpty();
    }

    private static String script(Random random) {
        StringBuilder b = new StringBuilder();
        int kind = random.nextInt(10);
        if (kind < 5) {
            int n = 1 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                b.append(STATEMENTS.get(random.nextInt(STATEMENTS.size()))).append(random.nextInt(5) == 0 ? "; " : "\n");
            }
        } else if (kind < 8) {
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                b.append(TOKENS.get(random.nextInt(TOKENS.size()))).append(random.nextBoolean() ? " " : "");
            }
        } else if (kind < 9) {
            // A valid statement with a few characters cut or doubled.
            StringBuilder s = new StringBuilder(STATEMENTS.get(random.nextInt(STATEMENTS.size())));
            for (int i = 0; i < 1 + random.nextInt(3) && s.length() > 1; i++) {
                int at = random.nextInt(s.length());
                if (random.nextBoolean()) {
                    s.deleteCharAt(at);
                } else {
                    s.insert(at, s.charAt(at));
                }
            }
            b.append(s);
        } else {
            int n = random.nextInt(80);
            for (int i = 0; i < n; i++) {
                b.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x3000)));
            }
        }
        return b.toString();
    }
}

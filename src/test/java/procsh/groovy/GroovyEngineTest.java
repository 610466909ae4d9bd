package procsh.groovy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The engine: a session that keeps its variables, prints results and errors well, stops on Ctrl-C. */
class GroovyEngineTest extends GroovyFixture {


    @Test
    void variablesDeclaredAtTopLevelLiveOnInTheSession() throws Exception {
        s.eval("def x = 21");
        assertThat(s.eval("x * 2")).isEqualTo(42);
        s.eval("def p = spawn('sleep', '30')");
        assertThat(s.eval("p.pid")).isEqualTo(s.table.get(1).pid());
        s.eval("int n = '7' as int; String text = 5; long big = 3; def (a, b) = [1, 2]; def nothing; var v = 'var'");
        assertThat(s.eval("[n, text, big, a, b, nothing, v]")).isEqualTo(java.util.Arrays.asList(7, "5", 3L, 1, 2, null, "var"));
        s.eval("def twice = { it * 2 }\ny = 4");
        assertThat(s.eval("twice(y)")).isEqualTo(8);
        // Methods too, recursion and overloads included; an input of methods alone shows nothing.
        assertThat(s.eval("def fact(n) { n <= 1 ? 1 : n * fact(n - 1) }\nString greet(who) { 'hi ' + who }\ndef greet(a, b) { a + b }")).isNull();
        assertThat(s.eval("[fact(5), greet('you'), greet(1, 2)]")).isEqualTo(List.of(120, "hi you", 3));
        assertThat(s.eval("def twiceFact(n) { 2 * fact(n) }; twiceFact(3)")).isEqualTo(12);
        // Declarations inside blocks and closures stay local to them.
        s.eval("if (true) { def inner = 1 }; [1].each { def alsoInner = 2 }");
        assertThat(s.error("inner")).isEqualTo("line 1: unknown variable 'inner'");
        assertThat(s.error("alsoInner")).isEqualTo("line 1: unknown variable 'alsoInner'");
        s.eval("p.kill()");
    }

    @Test
    void resultsPrintAsArrowsAndNullsQuietly() throws Exception {
        assertThat(s.engine.format(42)).isEqualTo("=> 42");
        assertThat(s.engine.format(null)).isNull();
        assertThat(s.engine.format(List.of("a", 1))).isEqualTo("=> [a, 1]");
        assertThat(s.engine.format("two\nlines")).isEqualTo("=> two\n   lines");
        assertThat(s.engine.evalAndPrint("6 * 7", s.out, s.err)).isZero();
        assertThat(s.engine.evalAndPrint("println 'said'; null", s.out, s.err)).isZero();
        assertThat(s.out()).isEqualTo("=> 42\nsaid\n");
        assertThat(s.engine.evalAndPrint("nope", s.out, s.err)).isEqualTo(1);
        assertThat(s.err()).isEqualTo("line 1: unknown variable 'nope'\n");
    }

    @Test
    void printGoesToTheWriterOfTheEvaluation() throws Exception {
        s.eval("print 'a'; println 'b'; printf('%d-%s%n', 1, 'c'); println([1, 2]); println()");
        assertThat(s.out()).isEqualTo("ab\n1-c\n[1, 2]\n\n");
        StringWriter other = new StringWriter();
        s.engine.eval("println 'elsewhere'; err.println 'complaint'", new PrintWriter(other), new PrintWriter(other));
        assertThat(other.toString()).isEqualTo("elsewhere\ncomplaint\n");
    }

    @Test
    void aCompileErrorShowsLineColumnAndTheOffendingSourceWithACaret() throws Exception {
        String message = s.error("def ok = 1\ndef broken = )\nok");
        assertThat(message.lines()).containsExactly("line 2, column 14: Unexpected input: ')'", "  def broken = )", "               ^");
        assertThat(s.error("class A extends NoSuchBase {}").lines().findFirst().orElseThrow())
                .startsWith("line 1, column 1: unable to resolve class NoSuchBase");
        // The session is unharmed, and nothing of the broken input was run.
        assertThat(s.error("ok")).isEqualTo("line 1: unknown variable 'ok'");
    }

    @Test
    void aRuntimeErrorShowsTheMessageAndTheScriptLine() throws Exception {
        assertThat(s.error("def a = 1\n\nthrow new IllegalStateException('boom')")).isEqualTo("line 3: IllegalStateException: boom");
        assertThat(s.error("[1, 2].each {\n  it.frobnicate()\n}")).startsWith("line 2: no method frobnicate() on Integer");
        assertThat(s.error("def m = [:]\nm.a.b.c")).isEqualTo("line 2: NullPointerException: Cannot get property 'b' on null object");
        assertThat(s.error("\nspawnn('x')")).startsWith("line 2: unknown function spawnn(String) (maybe spawn(");
        assertThat(s.error("def p = spawn('sleep', '30')\np.kil()")).isEqualTo("line 2: no method kil() on ScriptJob (maybe kill(), kill(Object), tail(int))");
        assertThat(s.error("p.kill('BOGUS')")).startsWith("line 1: unknown signal 'BOGUS'");
        assertThat(s.error("def f(n) { f(n + 1) }\nf(0)")).endsWith("stack overflow: is there an endless recursion?");
        // The messages are a line each, never a stack trace.
        assertThat(s.error("1 / 0").lines()).hasSize(1);
        s.eval("p.kill()");
    }

    @Test
    void interruptStopsAnEndlessLoopAndTheSessionSurvives() throws Exception {
        s.eval("def kept = 'still here'; def p = spawn('sleep', '30')");
        for (String endless : List.of("while (true) {}", "for (;;) { def x = 1 }", "sleep(60000)", "p.waitFor()", "Thread.sleep(60000)",
                "[1].each { while (true) {} }")) {
            ExecutorService console = Executors.newSingleThreadExecutor();
            try {
                Future<Object> running = console.submit(() -> s.engine.eval(endless, s.out, s.err));
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    s.engine.interrupt();
                    return running.isDone();
                });
                assertThatThrownBy(running::get).as(endless).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(InterruptedException.class);
            } finally {
                console.shutdownNow();
            }
            assertThat(s.eval("kept")).isEqualTo("still here");
        }
        assertThat(s.eval("p.alive")).as("an interrupted wait leaves the job alone").isEqualTo(true);
        assertThat(s.engine.evalAndPrint("1 + 1", s.out, s.err)).isZero();
        // An interrupt with nothing running hits nothing later.
        s.engine.interrupt();
        assertThat(s.eval("sleep(10); 'fine'")).isEqualTo("fine");
        s.eval("p.kill()");
    }

    @Test
    void theInterruptOfTheCallerReachesTheEvaluation() throws Exception {
        CompletableFuture<Thread> caller = new CompletableFuture<>();
        ExecutorService console = Executors.newSingleThreadExecutor();
        try {
            Future<Object> running = console.submit(() -> {
                caller.complete(Thread.currentThread());
                return s.engine.eval("while (true) {}", s.out, s.err);
            });
            Thread thread = caller.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                thread.interrupt();
                return running.isDone();
            });
            assertThatThrownBy(running::get).hasCauseInstanceOf(InterruptedException.class);
        } finally {
            console.shutdownNow();
        }
        assertThat(s.eval("'next'")).isEqualTo("next");
    }

    @Test
    void unfinishedInputAsksForMoreAndRealErrorsDoNot() {
        for (String more : List.of("def f = {", "foo(", "[1, 2,", "x = [a:", "if (true) {\n  println 1", "1 +", "def s = '''abc",
                "\"\"\"multi", "p.", "class A {", "/* a comment", "a ? b :", "spawn('sleep',")) {
            assertThat(s.engine.isIncomplete(more)).as(more).isTrue();
        }
        for (String done : List.of("", "  ", "1 + 1", "def f = { it }", "def x = )", "}", "\"unclosed", "foo)", "[1, 2]]",
                "if (true) {\n  println 1\n}")) {
            assertThat(s.engine.isIncomplete(done)).as(done).isFalse();
        }
    }

    @Test
    void completionOffersVariablesFunctionsAndMembersOfProcshObjects() throws Exception {
        s.eval("def sleeper = spawn('sleep', '30'); def count = 3; def label = 'x'");
        assertThat(s.engine.complete("sl", 2)).isEqualTo(new Completions(0, List.of("sleep(", "sleeper")));
        assertThat(s.engine.complete("1 + co", 6).candidates()).containsExactly("count");
        assertThat(s.engine.complete("wa", 2).candidates()).containsExactly("waitAll(", "waitAny(");
        assertThat(s.engine.complete("", 0).candidates()).contains("spawn(", "jobs", "args", "sh(", "exit(", "keepJobs(", "println(");
        Completions members = s.engine.complete("sleeper.", 8);
        assertThat(members.start()).isEqualTo(8);
        assertThat(members.candidates()).contains("pid", "kill(", "poll()", "waitFor(", "stop(", "onExit(", "alive", "returncode",
                "stdout", "children", "terminate()").doesNotContain("toString()", "getPid()", "metaClass", "class", "wait()");
        assertThat(s.engine.complete("sleeper.ki", 10)).isEqualTo(new Completions(8, List.of("kill(")));
        assertThat(s.engine.complete("jobs[1].sto", 11).candidates()).containsExactly("stop(");
        assertThat(s.engine.complete("jobs.", 5).candidates()).contains("running", "ended", "size()", "all");
        assertThat(s.engine.complete("jobs.running[0].pi", 18).candidates()).containsExactly("pid");
        assertThat(s.engine.complete("sleeper.stop('1s').esc", 22).candidates()).containsExactly("escalated");
        assertThat(s.engine.complete("spawn('true').waitFor().exit", 28).candidates()).containsExactly("exitCode");
        assertThat(s.engine.complete("label.toUpp", 11).candidates()).containsExactly("toUpperCase(");
        // The cursor can sit in the middle of the line.
        assertThat(s.engine.complete("sleeper.pi + 1", 10).candidates()).containsExactly("pid");
        for (String nothing : List.of("unknown.", "'str'.", "(1 + 2).", "sleeper.nope.", "")) {
            assertThat(s.engine.complete(nothing + "zz", nothing.length() + 2).candidates()).as(nothing).isEmpty();
        }
        assertThat(s.engine.complete(null, 5).candidates()).isEmpty();
        assertThat(s.engine.complete("p.", 99).start()).isEqualTo(2);
        s.eval("sleeper.kill()");
    }

    @Test
    void closingTheEngineLeavesNoThreadBehind() throws Exception {
        s.eval("def p = spawn('true'); p.onExit { println 'bye' }; p.waitFor()");
        assertThat(threads()).contains("procsh-groovy-eval", "procsh-groovy-onexit");
        s.engine.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> threads().isEmpty());
        assertThat(s.engine.evalAndPrint("1", s.out, s.err)).isEqualTo(1);
        assertThat(s.err()).contains("the Groovy session is closed");
    }

    private static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("procsh-groovy")).toList();
    }
}

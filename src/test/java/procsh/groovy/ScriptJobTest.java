package procsh.groovy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import procsh.command.CommandRunner;
import procsh.core.Job;
import procsh.testing.Leftovers;

/** The script API (job, jobs, top-level functions) against real processes, through the engine. */
class ScriptJobTest extends GroovyFixture {


    @Test
    void spawnWithOptionsRunsInTheDirectoryWithTheEnvironmentAndName() throws Exception {
        s.eval("def p = spawn(cwd: '" + temp + "', env: [GREETING: 'hi', HOME: null], name: 'w1', "
                + "'sh', '-c', 'echo $GREETING; pwd; echo ${HOME:-no home}; echo oops >&2; exit 0')");
        assertThat(s.eval("p.waitFor()")).isInstanceOf(ScriptJob.class);
        assertThat(s.eval("p.stdoutLines")).isEqualTo(List.of("hi", temp.toString(), "no home"));
        assertThat(s.eval("p.stdout")).isEqualTo("hi\n" + temp + "\nno home\n");
        assertThat(s.eval("p.stderr")).isEqualTo("oops\n");
        assertThat(s.eval("p.stderrLines")).isEqualTo(List.of("oops"));
        assertThat(s.eval("[p.name, p.state, p.alive, p.exitCode, p.returncode, p.signal, p.poll()]"))
                .isEqualTo(java.util.Arrays.asList("w1", "exited", false, 0, 0, null, "exited 0"));
        assertThat(s.eval("jobs['w1'].is(p) && jobs[p.id].is(p) && jobs['%1'].is(p)")).isEqualTo(true);
        assertThat(s.eval("p.pid")).isEqualTo(s.table.get(1).pid());
        assertThat(s.eval("p.argv")).isEqualTo(List.of("sh", "-c",
                "echo $GREETING; pwd; echo ${HOME:-no home}; echo oops >&2; exit 0"));
        assertThat((String) s.eval("p.toString()")).matches("\\[1] w1 \\d+ sh -c echo .* \\(exited 0\\)");
    }

    @Test
    void aPtyJobSeesATerminalAndItsOutputIsThereOnceItHasEnded() throws Exception {
        assertThat(s.eval("spawn(pty: true, 'sh', '-c', 'test -t 0 && test -t 1 && stty size').waitFor().stdout")).isEqualTo("24 80\r\n");
        // A child that still writes to the terminal after the job's own end: its words are in by the time the end is.
        assertThat(s.eval("spawn(pty: true, 'sh', '-c', 'trap \"\" HUP; (sleep 0.1; echo late) & echo early').waitFor().stdout"))
                .isEqualTo("early\r\nlate\r\n");
    }

    @Test
    void commandsComeAsWordsOrAListAndAShellLineOnRequest() throws Exception {
        assertThat(s.eval("spawn(['sh', '-c', 'exit 3']).waitFor().exitCode")).isEqualTo(3);
        assertThat(s.eval("spawn('sh', '-c', 'exit $0', 5).waitFor().shellStatus")).isEqualTo(5);
        assertThat(s.eval("spawn(shell: true, 'echo one two | wc -w').waitFor().stdout.trim()")).isEqualTo("2");
        assertThat(s.error("spawn('sleep 30')")).contains("spawn(shell: true, '...')");
        assertThat(s.error("spawn()")).isEqualTo("line 1: spawn: nothing to run: give a program and its arguments, e.g. spawn('sleep', '10')");
        assertThat(s.error("spawn(colour: 'red', 'true')")).contains("unknown option 'colour'");
        assertThat(s.error("spawn(stdin: 'yes', 'true')")).contains("stdin must be true or false");
        assertThat(s.error("spawn(env: 'A=1', 'true')")).contains("env must be a map");
        assertThat(s.error("spawn('no-such-program-procsh')")).startsWith("line 1: ").contains("no-such-program-procsh");
    }

    @Test
    void pollAnswersAtOnceAndWaitWithATimeoutLeavesTheProcessAlone() throws Exception {
        s.eval("def p = spawn('sleep', '30')");
        assertThat(s.eval("p.poll()")).isEqualTo("running");
        assertThat(s.eval("[p.state, p.alive, p.exitCode, p.returncode, p.signal]"))
                .isEqualTo(java.util.Arrays.asList("running", true, null, null, null));
        assertThat(s.eval("p.waitFor('100ms')")).isEqualTo(false);
        assertThat(s.eval("p.waitFor(50)")).isEqualTo(false);
        assertThat(s.eval("p.waitFor(Duration.ofMillis(50))")).isEqualTo(false);
        assertThat(s.eval("p.alive")).isEqualTo(true);
        s.eval("p.terminate()");
        assertThat(s.eval("p.waitFor('5s')")).isEqualTo(true);
        assertThat(s.eval("[p.state, p.signal, p.returncode, p.exitCode, p.shellStatus]"))
                .isEqualTo(java.util.Arrays.asList("killed", "SIGTERM", -15, null, 143));
        assertThat(s.eval("p.poll()")).isEqualTo("killed by SIGTERM (-15), sent by you");
        assertThat(s.error("p.waitFor('soon')")).contains("bad duration 'soon'");
    }

    @Test
    void killTakesSignalsByNameOrNumberAndRefusesAnEndedJob() throws Exception {
        s.eval("def a = spawn('sleep', '30'); def b = spawn('sleep', '30'); def c = spawn('sleep', '30'); def d = spawn('sleep', '30')");
        s.eval("a.kill('USR1'); b.kill(10); c.kill(); d.signal('SIGHUP', 'group')");
        s.eval("[a, b, c, d]*.waitFor()");
        assertThat(s.eval("[a.signal, b.signal, c.signal, d.signal]")).isEqualTo(List.of("SIGUSR1", "SIGUSR1", "SIGKILL", "SIGHUP"));
        assertThat(s.eval("c.returncode")).isEqualTo(-9);
        assertThat(s.error("a.kill()")).contains("has already ended").contains("not signalling it");
        s.eval("def e = spawn('sleep', '30')");
        assertThat(s.error("e.kill('NOPE')")).contains("unknown signal 'NOPE'");
        assertThat(s.error("e.signal('TERM', 'galaxy')")).contains("unknown signal scope 'galaxy'");
        s.eval("e.signal(15, 'tree'); e.waitFor()");
        assertThat(s.eval("e.signal")).isEqualTo("SIGTERM");
    }

    @Test
    void stopEscalatesToKillWhenTermIsIgnoredAndSaysSo() throws Exception {
        s.eval("def polite = spawn('sleep', '30'); def stubborn = spawn('sh', '-c', 'trap \"\" TERM; sleep 30')");
        // Let the shell install its trap before the stop.
        await().atMost(Duration.ofSeconds(5)).until(() -> !((List<?>) s.eval("stubborn.children")).isEmpty());
        Object gentle = s.eval("polite.stop()");
        assertThat(gentle).isInstanceOf(StopResult.class);
        assertThat(s.eval("def r1 = polite.stop(); [r1.escalated, r1.signal, r1.survivors]"))
                .isEqualTo(List.of(false, "SIGTERM", List.of()));
        assertThat(s.eval("def r2 = stubborn.stop('200ms'); [r2.escalated, r2.signal, r2.returncode, r2.job.is(stubborn)]"))
                .isEqualTo(List.of(true, "SIGKILL", -9, true));
        assertThat(s.eval("r2.toString()")).asString().contains("needed SIGKILL after the grace period");
        assertThat(s.eval("r2.ending")).asString().startsWith("killed by SIGKILL (-9), sent by stop's escalation");
    }

    @Test
    void stdinTakesTextAndClosesAndAJobWithoutAPipeSaysHowToGetOne() throws Exception {
        s.eval("def cat = spawn(stdin: true, 'cat')");
        s.eval("cat.send('hello\\n'); cat.send(42); cat.closeStdin()");
        assertThat(s.eval("cat.waitFor().stdout")).isEqualTo("hello\n42");
        s.eval("def deaf = spawn('sleep', '30')");
        assertThat(s.error("deaf.send('x')")).contains("has no stdin pipe");
        s.eval("deaf.kill()");
    }

    @Test
    void childrenListTheLiveProcessesOfTheTree() throws Exception {
        s.eval("def tree = spawn('sh', '-c', 'sleep 30 & sleep 30 & wait')");
        await().atMost(Duration.ofSeconds(5)).until(() -> ((List<?>) s.eval("tree.children")).size() == 2);
        assertThat(s.eval("tree.children*.command")).isEqualTo(List.of("sleep", "sleep"));
        assertThat(s.eval("tree.children*.ppid.unique()")).isEqualTo(List.of(s.table.get(1).pid()));
        s.eval("tree.stop()");
        assertThat(s.eval("tree.children")).isEqualTo(List.of());
    }

    @Test
    void onExitRunsOnTheCallbackThreadBeforeWaitForReturnsAndEvenAfterTheEnd() throws Exception {
        s.eval("def p = spawn('sh', '-c', 'exit 4')");
        s.eval("p.onExit { j -> println \"job ${j.id} ended: ${j.exitCode}\"; ranOn = Thread.currentThread().name }");
        s.eval("p.waitFor()");
        assertThat(s.out()).contains("job 1 ended: 4");
        assertThat(s.eval("ranOn")).isEqualTo("procsh-groovy-onexit");
        // Registered after the end: it still runs, and a closure without a parameter is fine.
        s.eval("p.onExit { println 'late but run' }.waitFor()");
        assertThat(s.out()).contains("late but run");
        // A closure that throws says so on err, with its line, and breaks nothing else.
        s.eval("p.onExit { j ->\n  j.nothingHere()\n}.waitFor()");
        assertThat(s.err()).contains("onExit of job 1: line 2: no method nothingHere() on ScriptJob");
        // Running jobs: the closure fires when the job ends, not before.
        s.eval("def q = spawn('sleep', '30'); q.onExit { println 'q gone' }");
        assertThat(s.out()).doesNotContain("q gone");
        s.eval("q.kill()");
        await().atMost(Duration.ofSeconds(5)).until(() -> s.out().contains("q gone"));
    }

    @Test
    void waitAnyAndWaitAllCoverTheRunningJobs() throws Exception {
        s.eval("def slow = spawn('sleep', '30'); def quick = spawn('sh', '-c', 'exit 2')");
        assertThat(s.eval("waitAny().is(quick)")).isEqualTo(true);
        assertThat(s.eval("waitAny('100ms')")).isNull();
        assertThat(s.eval("waitAll(50)")).isEqualTo(false);
        s.eval("slow.terminate()");
        assertThat(s.eval("waitAll()*.id")).isEqualTo(List.of(1));
        assertThat(s.eval("waitAny()")).isNull();
        assertThat(s.eval("waitAll('1s')")).isEqualTo(true);
        s.eval("def more = (1..3).collect { spawn('sh', '-c', 'exit $0', it) }");
        assertThat(s.eval("waitAll().collect { it.exitCode }.sort()")).isEqualTo(List.of(1, 2, 3));
        // A job that ended before anyone waited is still reported, once.
        s.eval("def early = spawn('true')");
        await().atMost(Duration.ofSeconds(5)).until(() -> s.table.get(6).hasEnded());
        assertThat(s.eval("waitAny().is(early)")).isEqualTo(true);
        assertThat(s.eval("waitAny('10ms')")).isNull();
    }

    @Test
    void jobsIsIterableByIdAndNameWithRunningAndEnded() throws Exception {
        assertThat(s.eval("jobs.size()")).isEqualTo(0);
        assertThat(s.eval("jobs.toString()")).isEqualTo("no jobs");
        s.eval("spawn(name: 'web', 'sleep', '30'); spawn('true').waitFor()");
        assertThat(s.eval("jobs.size()")).isEqualTo(2);
        assertThat(s.eval("jobs.collect { it.id }")).isEqualTo(List.of(1, 2));
        assertThat(s.eval("jobs.running*.name")).isEqualTo(List.of("web"));
        assertThat(s.eval("jobs.ended*.id")).isEqualTo(List.of(2));
        assertThat(s.eval("jobs['web'].id")).isEqualTo(1);
        assertThat(s.eval("jobs.find { it.name == 'web' }.id")).isEqualTo(1);
        assertThat(((String) s.eval("jobs.toString()")).lines()).hasSize(2);
        assertThat(s.error("jobs[9]")).isEqualTo("line 1: no job '9': `list` shows the jobs");
        assertThat(s.error("jobs['nobody']")).contains("no job 'nobody'");
        s.eval("jobs['web'].kill()");
    }

    @Test
    void aRestartPolicyAndALogCapFromAScript() throws Exception {
        s.eval("def j = spawn(restart: 'on-failure', maxRestarts: 2, backoff: '20ms', logMax: '8K', 'sh', '-c', 'seq 1 3000; exit 3')");
        assertThat(s.eval("j.waitFor('10s')")).isEqualTo(true);
        assertThat(s.eval("[j.restarts, j.poll()]")).isEqualTo(List.of(2, "exited 3"));
        assertThat(s.eval("j.tail(2)")).isEqualTo(List.of("2999", "3000"));
        assertThat(s.eval("def n = 0; j.eachLine { n++ }; n > 0")).isEqualTo(true);
        assertThat(s.error("spawn(restart: 'sometimes', 'true')")).contains("bad restart policy 'sometimes': use on-failure, always or no");
    }

    @Test
    void timeoutStopsTheJobAndRestartRunsItAgain() throws Exception {
        s.eval("def t = spawn(timeout: '200ms', grace: '1s', name: 'nap', 'sleep', '30')");
        assertThat(s.eval("t.waitFor('5s')")).isEqualTo(true);
        assertThat(s.eval("[t.timedOut, t.signal]")).isEqualTo(List.of(true, "SIGTERM"));
        assertThat(s.eval("t.poll()")).isEqualTo("killed by SIGTERM (-15), sent by the time limit");
        s.eval("def again = t.restart()");
        assertThat(s.eval("[again.id, again.name, again.alive, again.timedOut]")).isEqualTo(List.of(2, "nap", true, false));
        s.eval("again.stop('1s')"); // its own 200 ms limit may already have ended it on a loaded machine
    }

    @Test
    void shRunsACommandLineThroughTheConsoleCommands() throws Exception {
        assertThat(s.error("sh 'list'")).isEqualTo("line 1: sh: console commands are not available here");
        s.engine.commands(new CommandRunner() {
            @Override
            public int run(String line, PrintWriter out, PrintWriter err) {
                out.println("ran " + line);
                return line.startsWith("kill") ? 0 : 2;
            }

            @Override
            public boolean isCommand(String line) {
                return true;
            }
        });
        assertThat(s.eval("sh('kill 2 -9')")).isEqualTo(0);
        assertThat(s.eval("sh \"bogus ${1 + 1}\"")).isEqualTo(2);
        assertThat(s.out()).contains("ran kill 2 -9").contains("ran bogus 2");
    }

    @Test
    void keepJobsAndExitReachTheTableAndTheCaller() throws Exception {
        s.eval("keepJobs()");
        assertThat(s.table.keepJobs()).isTrue();
        s.eval("keepJobs(false)");
        assertThat(s.table.keepJobs()).isFalse();
        assertThatThrownBy(() -> s.engine.eval("exit(3)", s.out, s.err))
                .isInstanceOfSatisfying(ScriptExit.class, e -> assertThat(e.status()).isEqualTo(3));
        // exit() cannot be swallowed by a script's own catch-all.
        assertThatThrownBy(() -> s.engine.eval("try { exit() } catch (e) { 'caught' }", s.out, s.err))
                .isInstanceOf(ScriptExit.class);
    }

    @Test
    void theRawJobIsThereForWhatTheApiDoesNotCover() throws Exception {
        s.eval("def p = spawn('sleep', '30')");
        assertThat(s.eval("p.job")).isSameAs(s.table.get(1));
        Job job = (Job) s.eval("p.job");
        assertThat(Leftovers.alive(job.pid())).isTrue();
        s.eval("p.kill()");
    }
}

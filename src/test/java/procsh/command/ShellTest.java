package procsh.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.testing.TableFixture;

/** The command language against real processes, with no terminal: what a user reads, and the status. */
class ShellTest extends ShellFixture {

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    List<String> outLines() {
        return out().lines().toList();
    }

    @Test
    void setenvSetsAllItsVariablesOrNone() throws Exception {
        // Found by the shell fuzz test: the first was set before the second was refused.
        assertThat(run("setenv FIRST=1 'SEC\u0000OND=2'")).isNotZero();
        assertThat(err()).endsWith("; nothing was set\n");
        assertThat(run("export SECOND=2")).isZero();
        assertThat(table.context().getenv("SECOND")).isEqualTo("2");
        assertThat(table.context().getenv("FIRST")).isNull();
    }

    @Test
    void spawnPrintsIdPidAndCommand() throws Exception {
        assertThat(run("spawn sleep 5")).isZero();
        Job job = table.get(1);
        assertThat(out()).isEqualTo("[1] " + job.pid() + " sleep 5\n");
    }

    @Test
    void optionsAfterTheProgramBelongToTheProgram() throws Exception {
        assertThat(run("spawn --name e printf '%s|' --name x")).isZero();
        Job job = table.get("e");
        assertThat(job.argv()).containsExactly("printf", "%s|", "--name", "x");
    }

    @Test
    void argumentsAreNotExpandedGlobbedOrSplit() throws Exception {
        assertThat(run("spawn printf '%s\\n' '*' $HOME \"a b\" a\\ b ~")).isZero();
        run("wait 1");
        assertThat(table.get(1).output().lines(procsh.core.OutputChannel.STDOUT)).containsExactly("*", "$HOME", "a b", "a b", "~");
    }

    @Test
    void waitReturnsTheJobsShellStatus() throws Exception {
        run("spawn sh -c 'exit 3'");
        assertThat(run("wait 1")).isEqualTo(3);
        assertThat(out()).isEqualTo("[1] exited 3  sh -c exit 3\n");
        run("spawn sleep 30");
        run("kill 2");
        assertThat(run("wait 2")).isEqualTo(137);
        assertThat(out()).startsWith("[2] killed by SIGKILL (-9), sent by you");
    }

    @Test
    void aWaitTimeoutIsAnAnswerWithItsOwnStatus() throws Exception {
        run("spawn sleep 30");
        assertThat(run("wait 1 --timeout 100ms")).isEqualTo(124);
        assertThat(out()).startsWith("[1] still running after 1");
        assertThat(table.get(1).isAlive()).isTrue();
    }

    @Test
    void waitAnyReturnsTheFirstToEnd() throws Exception {
        run("spawn sleep 30; spawn sh -c 'exit 4'");
        assertThat(run("wait 1 2 --any --timeout 5s")).isEqualTo(4);
        assertThat(out()).contains("[2] exited 4");
    }

    @Test
    void killTakesTheSignalInEverySpellingAndOrder() throws Exception {
        List<String> lines = List.of("kill 1 -9", "kill -9 2", "kill 3 -KILL", "kill 4 -SIGUSR1", "kill -s USR1 5", "kill 6 -s usr2",
                "kill 7 -sigterm", "kill 8 --signal=INT");
        List<String> expected = List.of("SIGKILL", "SIGKILL", "SIGKILL", "SIGUSR1", "SIGUSR1", "SIGUSR2", "SIGTERM", "SIGINT");
        for (int i = 0; i < lines.size(); i++) {
            run("spawn sleep 30");
        }
        for (int i = 0; i < lines.size(); i++) {
            assertThat(run(lines.get(i))).as(lines.get(i) + ": " + err()).isZero();
            assertThat(err()).isEmpty();
        }
        run("wait");
        for (int i = 0; i < lines.size(); i++) {
            assertThat(table.get(i + 1).ending().signal().name()).as(lines.get(i)).isEqualTo(expected.get(i));
        }
    }

    @Test
    void killListsAndNamesSignals() throws Exception {
        assertThat(run("kill -l 137")).isZero();
        assertThat(out()).isEqualTo("KILL\n");
        run("kill -l 15 USR1");
        assertThat(outLines()).containsExactly("TERM", "10");
        run("kill -l");
        assertThat(out()).contains(" 9) SIGKILL").contains("15) SIGTERM");
        run("signals");
        assertThat(out()).contains(" 9) SIGKILL");
    }

    @Test
    void badInputIsOneLineAndLeavesTheTableAlone() throws Exception {
        run("spawn sleep 30");
        String before = snapshot();
        record Case(String line, int status, String message) {
        }
        List<Case> cases = List.of(
                new Case("kill 7", 1, "kill: no job '7': `list` shows the jobs"),
                new Case("kill 1 -FOO", 1, "kill: unknown signal '-FOO'"),
                new Case("kill 1 -9 -15", 1, "kill: two signals given"),
                new Case("poll", 2, "poll: Missing required parameter"),
                new Case("wait 1 --timeout soon", 2, "wait: bad value for --timeout"),
                new Case("spawn no-such-program", 1, "spawn: command not found: 'no-such-program'"),
                new Case("spawn --cwd /no/where true", 1, "spawn: no such directory: /no/where"),
                new Case("spawn sleep 1 | cat", 2, "'|': pipelines are not supported here"),
                new Case("spawn sleep 1 > out", 2, "'>': redirections are not supported"),
                new Case("spawn sleep 1 &", 2, "'&' is not supported here (every job already runs in the background)"),
                new Case("spawn 'sleep 1", 2, "unclosed ' quote"),
                new Case("spawn \"sleep 1", 2, "unclosed \" quote"),
                new Case("lsit", 2, "unknown command 'lsit': did you mean 'list'?"),
                new Case("rm 1", 1, "rm: job 1 is still running: stop it first (stop 1)"),
                new Case("send 1 hi", 1, "send: job 1 has no stdin pipe"),
                new Case("list --bogus", 2, "list: Unknown option: '--bogus'"),
                new Case("kill 99999999999999999999", 1, "kill: no job '99999999999999999999'"),
                new Case("kill 0", 1, "kill: no job '0'"),
                new Case("kill -- -1", 1, "kill: which job?"),
                new Case("cd /no/where", 1, "cd: no such directory: /no/where"));
        for (Case c : cases) {
            assertThat(run(c.line())).as(c.line() + " -> " + err()).isEqualTo(c.status());
            assertThat(err()).as(c.line()).startsWith(c.message());
            assertThat(err().lines().count()).as("one line for " + c.line() + ": " + err()).isEqualTo(1);
            assertThat(out()).as(c.line()).isEmpty();
            assertThat(snapshot()).as("table after " + c.line()).isEqualTo(before);
        }
    }

    private String snapshot() {
        return table.jobs().stream().map(j -> j.id() + ":" + j.state() + ":" + j.signals().size()).toList().toString();
    }

    @Test
    void listShowsAnAlignedTableAndJson() throws Exception {
        run("spawn --name web sleep 30; spawn sh -c 'exit 2'; spawn --env SECRET=hunter2 sleep 30");
        run("wait 2");
        run("kill 3");
        run("wait 3");
        assertThat(run("list")).isZero();
        List<String> lines = outLines();
        assertThat(lines.get(0)).matches("ID +NAME +PID +STATE +\u21ba +EXIT +TIME +CPU +RSS +COMMAND");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).contains("web").contains("running").endsWith("sleep 30");
        assertThat(lines.get(2)).contains("exited").contains(" 2 ");
        assertThat(lines.get(3)).contains("killed").contains("SIGKILL");
        int pidColumn = lines.get(0).indexOf("PID") + 2;
        assertThat(lines).allMatch(l -> l.charAt(pidColumn) != ' ');
        assertThat(out()).doesNotContain("hunter2");

        run("list --json --ended");
        assertThat(out()).startsWith("[{\"id\":2,").contains("\"state\":\"exited\"").contains("\"exit_code\":2")
                .contains("\"signal\":\"SIGKILL\"").contains("\"command\":[\"sleep\",\"30\"]").doesNotContain("\"id\":1,")
                .doesNotContain("hunter2");
        run("list --running");
        assertThat(outLines()).hasSize(2);
        run("info 3");
        assertThat(out()).contains("SIGKILL at ").contains("by you");
    }

    @Test
    void infoNamesTheJobsVariablesAndShowsValuesOnlyWhenAsked() throws Exception {
        run("setenv DB_PASSWORD=pw1; spawn --env API_TOKEN=s3cret --env 'NOTE=a\u001bb' true; wait 1");
        run("info 1");
        assertThat(out()).contains("env added").contains("DB_PASSWORD API_TOKEN NOTE").doesNotContain("pw1").doesNotContain("s3cret");
        run("info 1 --json");
        assertThat(out()).contains("\"env added\":\"DB_PASSWORD API_TOKEN NOTE").doesNotContain("pw1").doesNotContain("s3cret");
        run("info 1 --env-values");
        assertThat(out()).contains("DB_PASSWORD=pw1 API_TOKEN=s3cret NOTE='a\\eb'");
        run("info 1 --env-values --json");
        assertThat(out()).contains("API_TOKEN=s3cret NOTE='a\\u001bb'");
    }

    @Test
    void killReachesTheGroupAndAProcessKillSaysWhatItLeftRunning() throws Exception {
        run("spawn sh -c 'sleep 30; :'; spawn sh -c 'sleep 30; :'");
        await().atMost(Duration.ofSeconds(5)).until(() -> procsh.os.ProcFs.group(table.get(2).pid()).size() == 2);
        run("kill 1; wait 1");
        assertThat(out()).isEqualTo("[1] killed by SIGKILL (-9), sent by you  sh -c sleep 30; :\n");
        run("kill --process 2; wait 2");
        assertThat(out()).isEqualTo("[2] killed by SIGKILL (-9), sent by you  sh -c sleep 30; :"
                + "; 1 process of it still runs (stop 2 --tree ends it)\n");
        run("poll 2");
        assertThat(out()).endsWith("; 1 process of it still runs (stop 2 --tree ends it)\n");
        assertThat(run("kill --process --tree 2")).isEqualTo(1);
        assertThat(err()).isEqualTo("kill: give one of --process, --group, --tree\n");
        run("stop 2 --tree");
        run("poll 2");
        assertThat(out()).isEqualTo("[2] killed by SIGKILL (-9), sent by you\n");
    }

    @Test
    void stopReportsHowItWentAndRestartGivesANewId() throws Exception {
        run("spawn --name svc sh -c 'trap \"\" TERM; while :; do sleep 0.05; done'");
        await().atMost(Duration.ofSeconds(5)).until(() -> table.get(1).live().isPresent());
        assertThat(run("stop svc --grace 300ms")).isZero();
        assertThat(out()).startsWith("[1] killed by SIGKILL (-9), sent by stop's escalation; needed SIGKILL after the grace period");
        assertThat(run("restart svc")).isZero();
        assertThat(out()).contains("[2] ").contains("(restart of 1)");
        assertThat(table.get("svc").id()).isEqualTo(2);
        run("kill svc");
    }

    @Test
    void logsShowTheLastLinesOfEachStream() throws Exception {
        run("spawn sh -c 'for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2'");
        run("wait 1");
        run("logs 1 -n 2 --stdout");
        assertThat(outLines()).containsExactly("line4", "line5");
        run("logs 1 --stderr");
        assertThat(outLines()).containsExactly("oops");
        run("logs 1 -n 1");
        assertThat(outLines()).containsExactly("==> stdout of [1] (30B) <==", "line5", "==> stderr of [1] (5B) <==", "oops");
        run("logs 1 -f");
        assertThat(outLines()).contains("line5", "oops", "[1] exited 0");
    }

    @Test
    void sendAndCloseFeedAJobsStdin() throws Exception {
        run("spawn --stdin cat");
        assertThat(run("send 1 hello world")).isZero();
        assertThat(run("close 1")).isZero();
        assertThat(run("wait 1 --timeout 5s")).isZero();
        assertThat(table.get(1).output().lines(procsh.core.OutputChannel.STDOUT)).containsExactly("hello world");
    }

    @Test
    void theSessionsDirectoryAndEnvironmentReachNewJobs() throws Exception {
        run("cd " + temp);
        run("pwd");
        assertThat(out().strip()).isEqualTo(temp.toString());
        run("setenv GREETING='hi there'; unsetenv HOME");
        run("env GREETING");
        assertThat(out()).isEqualTo("GREETING=hi there\n");
        run("spawn sh -c 'echo \"$GREETING|${HOME-none}|$(pwd)\"'; wait 1");
        assertThat(table.get(1).output().lines(procsh.core.OutputChannel.STDOUT))
                .containsExactly("hi there|none|" + temp.toRealPath());
    }

    @Test
    void helpListsEveryCommandAndEachHasItsOwn() throws Exception {
        run("help");
        String help = out();
        for (CommandRegistry.Entry e : CommandRegistry.get().entries()) {
            assertThat(help).contains(e.name());
            assertThat(run(e.name() + " --help")).as(e.name()).isZero();
            assertThat(out()).as(e.name()).startsWith("Usage: " + e.name());
        }
        run("help kill");
        assertThat(out()).startsWith("Usage: kill").contains("Examples:").contains("kill 2 -9");
    }

    @Test
    void commandsRunInOrderAcrossSemicolonsAndCommentsAreIgnored() throws Exception {
        assertThat(run("spawn true; wait 1 # and nothing else; kill 1")).isZero();
        assertThat(outLines()).hasSize(2);
    }

    @Test
    void exitStopsRunningJobsUnlessKept() throws Exception {
        run("spawn sleep 30");
        assertThat(run("exit 3")).isEqualTo(3);
        assertThat(err()).contains("[1] killed by SIGTERM (-15), sent by procsh's exit");
        assertThat(shell.session().exitStatus()).isEqualTo(3);
        assertThat(table.get(1).hasEnded()).isTrue();
    }

    @Test
    void rmAndCleanRemoveEndedJobsOnly() throws Exception {
        run("spawn true; spawn true; spawn sleep 30");
        run("wait 1 2");
        assertThat(run("rm 1")).isZero();
        assertThat(run("clean")).isZero();
        assertThat(out()).isEqualTo("removed 1 ended job\n");
        assertThat(table.jobs()).extracting(Job::id).containsExactly(3);
        run("kill 3");
    }
}

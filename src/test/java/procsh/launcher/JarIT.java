package procsh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.testing.Leftovers;

/** The built jar, launched as a user launches it: with -c, with piped input, with bad options. */
class JarIT {

    @TempDir
    Path state;

    record Run(int status, String out, String err) {
    }

    Run procsh(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("procsh.jar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("XDG_STATE_HOME", state.toString());
        builder.environment().put("PROCSH_IT_MARKER", state.toString());
        Path out = state.resolve("out.txt");
        Path err = state.resolve("err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = builder.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("procsh ended").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void dashCRunsLinesAndExitsWithTheLastStatus() throws Exception {
        Run run = procsh(null, "-c", "spawn sh -c 'exit 3'", "-c", "wait 1");
        assertThat(run.status()).isEqualTo(3);
        assertThat(run.out()).matches("(?s)\\[1\\] \\d+ sh -c exit 3\n\\[1\\] exited 3  sh -c exit 3\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void waitGivesBashStyleStatusForASignal() throws Exception {
        Run run = procsh(null, "-c", "spawn sleep 30; kill 1 -TERM; wait 1");
        assertThat(run.status()).isEqualTo(143);
        assertThat(run.out()).contains("[1] killed by SIGTERM (-15), sent by you");
    }

    @Test
    void pipedInputIsReadLineByLineWithoutPromptOrColour() throws Exception {
        Run run = procsh("spawn sleep 0.2\nwait 1\nlist\n");
        assertThat(run.status()).isZero();
        assertThat(run.out()).doesNotContain("procsh>").doesNotContain("\u001b[");
        assertThat(run.out()).contains("[1] exited 0  sleep 0.2").contains("ID  NAME");
    }

    @Test
    void jobsLeftRunningAtTheEndAreStoppedAndReported() throws Exception {
        Run run = procsh("spawn sleep 30\n");
        assertThat(run.status()).isZero();
        assertThat(run.err()).contains("[1] killed by SIGTERM (-15), sent by procsh's exit");
        assertThat(Leftovers.withMarkerPrefix("PROCSH_IT_MARKER=" + state)).isEmpty();
    }

    @Test
    void usageErrorsExitWithTwoAndFailuresWithOne() throws Exception {
        Run bad = procsh(null, "--bogus");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).startsWith("procsh: Unknown option: '--bogus'");
        assertThat(procsh(null, "-c", "kill 5").status()).isEqualTo(1);
        assertThat(procsh(null, "-c", "wait --timeout nope").status()).isEqualTo(2);
        assertThat(procsh(null, "-c", "lsit").err()).isEqualTo("unknown command 'lsit': did you mean 'list'?\n");
    }

    @Test
    void helpAndVersion() throws Exception {
        Run help = procsh(null, "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("Usage: procsh").contains("-c, --command=LINE");
        Run version = procsh(null, "--version");
        assertThat(version.out()).startsWith("procsh 0.1.0");
    }
}

package procsh.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import procsh.core.Job;

/** `up`: a Procfile's processes as named jobs, one merged stream, and how it all ends. */
class UpCommandTest extends ShellFixture {

    private Path procfile(String... lines) throws Exception {
        Path dir = Files.createDirectories(temp.resolve("app"));
        Files.writeString(dir.resolve("Procfile"), String.join("\n", lines) + "\n");
        return dir.resolve("Procfile");
    }

    @Test
    void startsEachEntryNamedWithDotEnvAndPortsAndStopsTheOthersWhenOneEnds() throws Exception {
        Path file = procfile("# demo", "web: echo \"web on $PORT says $GREETING\"; sleep 30",
                "worker: echo \"working in $(basename \"$PWD\")\"; echo oops >&2; sleep 0.3; exit 3");
        Files.writeString(file.resolveSibling(".env"), "GREETING='hi there'\nTOKEN=s3cret\n");
        assertThat(run("up " + file)).isEqualTo(3);
        String shown = out.toString();
        assertThat(shown).contains("web    | web on 5000 says hi there", "worker | working in app", "worker | oops",
                "[2] worker exited 3: stopping the others", "[1] web killed by SIGTERM (-15), sent by you");
        assertThat(shown).doesNotContain("s3cret");
        assertThat(table.get("web").argv()).containsExactly("sh", "-c", "echo \"web on $PORT says $GREETING\"; sleep 30");
        assertThat(table.running()).isEmpty();
    }

    @Test
    void ctrlCStopsThemAllAndSaysSo() throws Exception {
        Path file = procfile("a: echo a is up; sleep 30", "b: echo b is up; sleep 30");
        StringWriter text = new StringWriter();
        AtomicReference<Thread> runner = new AtomicReference<>();
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
            runner.set(Thread.currentThread());
            try {
                return shell.run("up " + file + " --grace 1s", new PrintWriter(text, true), new PrintWriter(text, true));
            } catch (InterruptedException e) {
                return -1;
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> text.toString().contains("a | a is up") && text.toString().contains("b | b is up"));
        runner.get().interrupt();
        assertThat(status.get()).isEqualTo(130);
        assertThat(text.toString()).contains("Ctrl-C: stopping a, b", "[1] a killed by SIGTERM", "[2] b killed by SIGTERM");
        assertThat(table.running()).isEmpty();
    }

    @Test
    void aBadProcfileOrATakenNameStartsNothing() throws Exception {
        Path bad = procfile("web: sleep 30", "this line is wrong");
        assertThat(run("up " + bad)).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("up: Procfile line 2: 'this line is wrong' is not 'name: command'\n");
        assertThat(table.jobs()).isEmpty();

        run("spawn --name web sleep 30");
        Path good = procfile("worker: sleep 30", "web: sleep 30");
        assertThat(run("up " + good)).isEqualTo(1);
        assertThat(err.toString()).contains("job 1 is already named 'web' and still running");
        assertThat(table.jobs()).extracting(Job::id).containsExactly(1);

        assertThat(run("up " + temp.resolve("nowhere/Procfile"))).isEqualTo(1);
        assertThat(err.toString()).startsWith("up: no Procfile at ");
    }
}

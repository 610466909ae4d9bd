package procsh.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Groovy line that exhausts the heap ends with one line; the session, its jobs and the next
 * lines go on. Run in a child JVM with a small heap: the test JVM's is too big to fill quickly.
 */
class OutOfMemoryTest {

    @Test
    void aLineThatFillsTheHeapStopsAloneAndItsGarbageGoes() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "procsh.Main",
                "-c", "keep = 7",
                "-c", "spawn sleep 0.3",
                "-c", "def a = []; while (true) a << new byte[1 << 20]",
                // 24 MB fit only once the 60 MB the line above gathered are gone.
                "-c", "def big = new byte[24 << 20]; big.length",
                "-c", "println \"alive $keep\"",
                "-c", "wait 1")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("procsh ended").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(err.lines().toList()).containsExactly(
                "out of memory: the evaluation stopped; to free memory these variables were dropped: a");
        assertThat(out.lines().toList()).contains("=> 25165824", "alive 7").anyMatch(l -> l.matches("\\[1] exited 0 +sleep 0.3"));
        assertThat(p.exitValue()).isZero();
    }
}

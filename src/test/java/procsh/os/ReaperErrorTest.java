package procsh.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An Error on the reaper thread (an OutOfMemoryError once killed it) loses neither the thread nor the end it was reaping. */
class ReaperErrorTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void nativeBackendWorksHere() {
        assumeTrue(NativeBackend.probe() == null, "the native backend is not available here");
    }

    @AfterEach
    void noMoreErrors() {
        NativeBackend.get().reaperForTests().beforeReapForTests = () -> { };
    }

    @Test
    void theReaperGoesOnAfterAnErrorAndStillReapsTheEndItHeld() throws Exception {
        AtomicInteger thrown = new AtomicInteger();
        NativeBackend.get().reaperForTests().beforeReapForTests = () -> {
            if (thrown.getAndIncrement() == 0) {
                throw new OutOfMemoryError("test: thrown on the reaper thread");
            }
        };
        OsProcess first = start("sh", "-c", "exit 3");
        // Not waited for: only the reaper can see it end.
        assertThat(first.onExit().get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(3));
        assertThat(thrown.get()).isGreaterThan(1);
        OsProcess second = start("sh", "-c", "exit 4");
        assertThat(second.onExit().get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(4));
    }

    private OsProcess start(String... argv) throws Exception {
        Path program = Executables.resolve(argv[0], dir, "/usr/bin:/bin");
        Path out = Files.createTempFile(dir, "out", ".log");
        return NativeBackend.get().start(new SpawnPlan(program, List.of(argv), dir,
                Environment.of(Map.of("PATH", "/usr/bin:/bin")), false, out, out));
    }
}

package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import procsh.os.OsSignals;

/** The contract on the native (posix_spawn + pidfd) backend, plus what only it can tell. */
class NativeBackendTableTest extends JobTableContract {

    @Override
    String backend() {
        return "native";
    }

    @Test
    void aSigkillFromOutsideProcshIsToldApartFromExit137() throws Exception {
        Job exits = spawn("sh", "-c", "exit 137");
        Job killed = spawn("sleep", "30");
        OsSignals.kill(killed.pid(), procsh.os.Signals.os().require("KILL"));
        assertThat(waitEnd(exits).describe()).isEqualTo("exited 137");
        assertThat(waitEnd(killed).describe()).isEqualTo("killed by SIGKILL (-9), from outside procsh");
        assertThat(killed.ending().returncode()).isEqualTo(-9);
        assertThat(killed.ending().shellStatus()).isEqualTo(137);
    }

    @Test
    void aCoreDumpIsReported() throws Exception {
        Job job = table.spawn(SpawnRequest.of("sh", "-c", "ulimit -c unlimited 2>/dev/null; kill -SEGV $$"));
        Ending ending = waitEnd(job);
        assertThat(ending.signal().name()).isEqualTo("SIGSEGV");
        assertThat(ending.describe()).startsWith("killed by SIGSEGV (-11)").endsWith("from outside procsh");
    }

    @Test
    void aJobEndedButNotYetSeenIsNotSignalledAfterItsEnd() throws Exception {
        Job job = spawn("true");
        waitEnd(job);
        assertThatThrownBy(() -> table.signal(job, table.signal("TERM"), Scope.PROCESS, Sender.USER))
                .hasMessageContaining("already ended");
        assertThat(table.waitFor(job, Duration.ZERO).timedOut()).isFalse();
    }
}

package procsh.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import procsh.os.OsSignals;

/** The contract on the JDK (ProcessBuilder + setsid) backend, plus its honest uncertainty. */
class JdkBackendTableTest extends JobTableContract {

    @Override
    String backend() {
        return "jdk";
    }

    @Test
    void aSigkillFromOutsideIsReportedBothWaysNotGuessed() throws Exception {
        Job killed = spawn("sleep", "30");
        OsSignals.kill(killed.pid(), procsh.os.Signals.os().require("KILL"));
        Ending ending = waitEnd(killed);
        assertThat(ending.certain()).isFalse();
        assertThat(ending.describe()).isEqualTo("exited 137 or killed by SIGKILL (-9): the jdk backend cannot tell which");
    }
}

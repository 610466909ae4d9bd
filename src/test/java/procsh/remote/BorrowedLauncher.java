package procsh.remote;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import procsh.core.JobListener;
import procsh.core.Launcher;
import procsh.core.RemoteRun;
import procsh.core.SpawnRequest;
import procsh.os.OsProcess;
import procsh.os.SpawnException;
import procsh.os.SpawnPlan;

/**
 * One connection (and agent) lent to the tables of several tests that do not test the connection
 * itself, so each does not pay for starting an agent there: a table closing it only gives it back.
 */
final class BorrowedLauncher implements Launcher {

    private final SshLauncher lent;

    BorrowedLauncher(SshLauncher lent) {
        this.lent = lent;
    }

    @Override
    public String host() {
        return lent.host();
    }

    @Override
    public boolean exactExitStatus() {
        return lent.exactExitStatus();
    }

    @Override
    public void ready() throws SpawnException {
        lent.ready();
    }

    @Override
    public OsProcess start(SpawnPlan plan, SpawnRequest request) throws SpawnException {
        return lent.start(plan, request);
    }

    @Override
    public String state() {
        return lent.state();
    }

    @Override
    public boolean reachable() {
        return lent.reachable();
    }

    @Override
    public long connectionPid() {
        return lent.connectionPid();
    }

    @Override
    public void listener(JobListener listener) {
        lent.listener(listener);
    }

    @Override
    public CompletableFuture<Map<RemoteRun, RemoteRun.Facts>> facts(Collection<RemoteRun> runs) {
        return lent.facts(runs);
    }

    @Override
    public void close(boolean keepJobs) {
        // Given back, not closed: the test class closes the lent one.
    }
}

package procsh.core;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import procsh.os.OsProcess;
import procsh.os.SpawnException;
import procsh.os.SpawnPlan;

/**
 * Where the table starts a job's runs: on this machine through the backend, or on another host
 * through its agent. The table asks no more of a job than its {@link OsProcess} (and, for a
 * remote one, {@link RemoteRun}).
 */
public interface Launcher extends AutoCloseable {

    /** The host the jobs run on, as the user named it; null for this machine. */
    String host();

    /** Whether the ends it reports tell a death by signal N from an exit(128+N). */
    boolean exactExitStatus();

    /** Gets ready to start runs (connects), outside the table's locks; a failure says what to do in one line. */
    default void ready() throws SpawnException {
    }

    /** Starts one run: {@code plan} as resolved here, {@code request} as the user gave it (a remote host resolves it there). */
    OsProcess start(SpawnPlan plan, SpawnRequest request) throws SpawnException;

    /**
     * Asks the host, in one request, about some of its runs; completes (never exceptionally) with
     * what its agent said of each, a run it could not answer for left out (a lost host: none).
     */
    default CompletableFuture<Map<RemoteRun, RemoteRun.Facts>> facts(Collection<RemoteRun> runs) {
        return CompletableFuture.completedFuture(Map.of());
    }

    /** {@code connected}, {@code lost}, ... for {@code hosts}; {@code local} here. */
    default String state() {
        return "local";
    }

    /** Whether its jobs can be reached now: always here; there, while connected. */
    default boolean reachable() {
        return true;
    }

    /** The PID of the local process carrying the connection (ssh), or -1. */
    default long connectionPid() {
        return -1;
    }

    /** Where to say that the connection was lost, and came back (see {@link JobListener#hostLost}). */
    default void listener(JobListener listener) {
    }

    /** Ends the connection; the agent there stops the jobs it still runs, or with {@code keepJobs} leaves them running. */
    default void close(boolean keepJobs) {
    }

    @Override
    default void close() {
        close(false);
    }
}

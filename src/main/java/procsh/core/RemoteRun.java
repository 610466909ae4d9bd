package procsh.core;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import procsh.os.OsProcess;
import procsh.os.ProcStat;
import procsh.os.Signal;

/**
 * A run on another host. Its PID, group and tree are the remote machine's: the table never looks
 * them up in this machine's /proc nor signals them here; group and tree signals and stops go to
 * the agent there, which does them on its own table and reports the end.
 */
public interface RemoteRun extends OsProcess {

    /** How long a question to a host waits: a slow or lost host shows as unknown rather than freeze the console. */
    Duration FACTS_TIMEOUT = Duration.ofSeconds(2);

    /** The host, as the user named it. */
    String host();

    /** Where the job's stdout goes on that host (its agent's copy, which a kept job goes on writing), or null. */
    String remoteLog();

    /** Sends the signal to the run's process, group or tree there; false when it had already ended. */
    boolean signal(Signal signal, Scope scope) throws IOException;

    /** A stop done by the agent (TERM, grace, KILL); completes when the agent's stop has finished. */
    CompletableFuture<Outcome> stop(Duration grace, Scope scope, Sender initiator);

    /** True once the connection to its host was lost before its end arrived: its state there is unknown. */
    boolean lost();

    /** True when a reconnection found its agent gone: its end will never be known (it can only be removed). */
    boolean vanished();

    /** What the agent found left of it running there when it ended (empty before its end). */
    List<procsh.os.ProcStat> leftAtEnd();

    /**
     * The run's terminal there (spawn --pty), shown from {@code output}, where its output arrives
     * here; null for a run without one.
     */
    default JobTerminal terminal(JobOutput output) {
        return null;
    }

    /** Who the agent credits with the signal the run died of, or null (an outside signal, or an exit). */
    Sender endSender();

    /**
     * What the agent said of a run in one answer: its state there, what the OS there says of it
     * while it runs (null once it has ended there), and what it left running once it has ended.
     */
    record Facts(JobState state, LiveStats live, List<ProcStat> left) {

        /** A host that did not answer in time. */
        public static final Facts UNANSWERED = new Facts(JobState.UNKNOWN, null, List.of());

        /** As {@link OsProcess#poll()} would say; null when unanswered. */
        public Activity activity() {
            return state == JobState.UNKNOWN ? null : state == JobState.STOPPED ? Activity.STOPPED : Activity.RUNNING;
        }
    }

    /** How a remote stop went: whether it needed SIGKILL, and the remote PIDs still alive after it. */
    record Outcome(boolean escalated, List<Long> survivors) {
    }
}

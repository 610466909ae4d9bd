package procsh.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import procsh.os.ProcStat;

/**
 * One graceful stop: TERM was sent; until the deadline it waits for the job and every process
 * found in its group or tree to be gone, then escalates to KILL. Driven by the table's timer.
 */
final class StopInProgress {

    final Job job;
    final Scope scope;
    final Sender initiator;
    /**
     * Processes of the job's group or tree found before signalling, deepest first; the job itself
     * excluded. A tree stop adds descendants that escaped while it ran.
     */
    final List<ProcStat> targets;
    final Instant begun = Instant.now();
    final Instant deadline;
    final CompletableFuture<StopReport> result = new CompletableFuture<>();
    volatile boolean escalationCancelled;
    boolean escalated;
    Instant giveUpAt;

    StopInProgress(Job job, Scope scope, Sender initiator, List<ProcStat> targets, Duration grace) {
        this.job = job;
        this.scope = scope;
        this.initiator = initiator;
        this.targets = new CopyOnWriteArrayList<>(targets);
        this.deadline = begun.plus(grace);
    }

    /** Targets still alive in this scan (same PID and start time, not a zombie), deepest first. */
    List<ProcStat> aliveTargets(Map<Long, ProcStat> scan) {
        List<ProcStat> alive = new ArrayList<>();
        for (ProcStat t : targets) {
            ProcStat now = scan.get(t.pid());
            if (now != null && !now.zombie() && now.startTicks() == t.startTicks()) {
                alive.add(now);
            }
        }
        return alive;
    }

    StopReport report(List<Long> survivors) {
        return new StopReport(job, job.ending(), escalated, List.copyOf(survivors), Duration.between(begun, Instant.now()));
    }
}

package procsh.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import procsh.os.ProcStat;

/**
 * What one command sees of some jobs: local ones as the OS says now, remote ones as their agents
 * said in one answer per host, asked together and waited for up to {@link RemoteRun#FACTS_TIMEOUT}.
 * Held for one command only, so nothing in it is older than the command.
 */
public final class Observation {

    private final JobTable table;
    private final Map<RemoteRun, RemoteRun.Facts> told;

    Observation(JobTable table, Collection<Job> jobs) {
        this.table = table;
        this.told = ask(jobs);
    }

    /** One request to each host that runs any of the jobs; a host that does not answer in time is left out. */
    static Map<RemoteRun, RemoteRun.Facts> ask(Collection<Job> jobs) {
        Map<Launcher, List<RemoteRun>> byHost = new LinkedHashMap<>();
        for (Job job : jobs) {
            if (job.process() instanceof RemoteRun run) {
                byHost.computeIfAbsent(job.launcher(), l -> new ArrayList<>()).add(run);
            }
        }
        if (byHost.isEmpty()) {
            return Map.of();
        }
        List<CompletableFuture<Map<RemoteRun, RemoteRun.Facts>>> asked = new ArrayList<>();
        byHost.forEach((launcher, runs) -> asked.add(launcher.facts(runs)));
        try {
            CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).get(RemoteRun.FACTS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Each host's answer is taken below if it came.
        }
        Map<RemoteRun, RemoteRun.Facts> told = new HashMap<>();
        asked.forEach(f -> told.putAll(f.getNow(Map.of())));
        return told;
    }

    /** What the agent said of a remote job's current run; {@link RemoteRun.Facts#UNANSWERED} when it did not. */
    private RemoteRun.Facts facts(Job job) {
        return job.process() instanceof RemoteRun run ? told.getOrDefault(run, RemoteRun.Facts.UNANSWERED) : null;
    }

    public JobState state(Job job) {
        return job.host() == null ? job.state() : job.state(facts(job));
    }

    /** {@code running}, {@code stopped}, ... or how the job ended, as {@link Job#status()}. */
    public String status(Job job) {
        JobState now = state(job);
        Ending e = job.ending();
        return e != null ? e.describe() : now.label();
    }

    public Optional<LiveStats> live(Job job) {
        if (job.host() == null) {
            return job.live();
        }
        return job.hasEnded() ? Optional.empty() : Optional.ofNullable(facts(job).live());
    }

    /** As {@link JobTable#remaining}: for a remote job, what its agent found left of it once it ended there. */
    public List<ProcStat> remaining(Job job) {
        if (!(job.process() instanceof RemoteRun run)) {
            return table.remaining(job);
        }
        RemoteRun.Facts f = told.get(run);
        return f != null ? f.left() : table.remaining(job); // unanswered: what its agent said at its end
    }
}

package procsh.core;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import procsh.os.OsProcess;
import procsh.os.ProcFs;
import procsh.os.ProcStat;
import procsh.text.Escape;

/** One process the session started, and everything recorded about it. Safe to read from any thread. */
public final class Job {

    /**
     * How old the scan of /proc that descendants are read from may be: a table of hundreds of jobs
     * listed at once shares one scan (500 jobs: `list` took 3.8 s with one scan per job).
     */
    private static final Duration LIVE_SCAN_AGE = Duration.ofMillis(100);

    private final int id;
    private final String name;
    private volatile OsProcess process;
    private final Launcher launcher;
    /** How each run is started: kept for restarts. */
    private final procsh.os.SpawnPlan plan;
    private final List<String> argv;
    private final Path cwd;
    private final Map<String, String> envAdded;
    private final Set<String> envRemoved;
    private volatile Instant started;
    private final Instant firstStarted;
    private volatile int restarts;
    /** Restarts in a row after runs too short to count as healthy (RestartPolicy.stable). */
    private volatile int quickRestarts;
    private volatile Ending lastRun;
    /** The scheduled start of the next run while in backoff, else null. */
    private volatile java.util.concurrent.ScheduledFuture<?> pendingRestart;
    private volatile String restartFailure;
    /** Completes when the table has dealt with the end of the current run (ended for good, or backoff). */
    private volatile CompletableFuture<Void> runRecorded = new CompletableFuture<>();
    private final Duration timeout;
    private final JobOutput output;
    private final List<SignalRecord> signals = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Ending> ended = new CompletableFuture<>();
    private volatile Instant endedAt;
    private volatile Ending ending;
    private volatile StopInProgress stop;

    private final SpawnRequest request;
    private volatile JobTerminal terminal;

    Job(int id, String name, Launcher launcher, OsProcess process, procsh.os.SpawnPlan plan, SpawnRequest request, Path cwd,
        Map<String, String> envAdded, Set<String> envRemoved, Instant started, JobOutput output) {
        this.id = id;
        this.name = name;
        this.launcher = launcher;
        this.process = process;
        this.plan = plan;
        this.firstStarted = started;
        this.request = request;
        this.argv = request.argv();
        Duration timeout = request.timeout();
        this.cwd = cwd;
        this.envAdded = envAdded; // unmodifiable, made by JobEnvironment
        this.envRemoved = envRemoved;
        this.started = started;
        this.timeout = timeout;
        this.output = output;
    }

    /** The job's pseudo-terminal (spawn --pty); null for a job without one. */
    public JobTerminal terminal() {
        return terminal;
    }

    void terminal(JobTerminal terminal) {
        this.terminal = terminal;
    }

    public int id() {
        return id;
    }

    /** The user's name for the job, or null. */
    public String name() {
        return name;
    }

    /** The host it runs on, as the user named it; null on this machine. */
    public String host() {
        return launcher.host();
    }

    Launcher launcher() {
        return launcher;
    }

    /** Whether its host can be reached now (always, on this machine). */
    public boolean hostReachable() {
        return launcher.reachable() && !(process instanceof RemoteRun run && run.vanished());
    }

    /** For a job on another host: where its stdout goes there (the agent's copy); null for a local job. */
    public String remoteLog() {
        return process instanceof RemoteRun run ? run.remoteLog() : null;
    }

    public long pid() {
        return process.pid();
    }

    public List<String> argv() {
        return argv;
    }

    /**
     * The command as one line for a person (tables, notices, reports): each word escaped, so a
     * control character in an argument shows as {@code \e} and cannot act on the terminal.
     * {@link #argv()} is the exact form.
     */
    public String commandLine() {
        return argv.stream().map(Escape::field).collect(java.util.stream.Collectors.joining(" "));
    }

    public Path cwd() {
        return cwd;
    }

    /** Variables this job set on top of the session's environment (values are private: print names only). */
    public Map<String, String> envAdded() {
        return envAdded;
    }

    public Set<String> envRemoved() {
        return envRemoved;
    }

    /** When the current run started. */
    public Instant started() {
        return started;
    }

    /** When the first run started. */
    public Instant firstStarted() {
        return firstStarted;
    }

    public RestartPolicy restartPolicy() {
        return request.restart();
    }

    /** How often the restart policy started it again. */
    public int restarts() {
        return restarts;
    }

    /** How the previous run ended, when the restart policy started it again; else null. */
    public Ending lastRun() {
        return lastRun;
    }

    /** When the next run starts, while in backoff; else null. */
    public Instant restartAt() {
        Duration left = restartIn();
        return left == null ? null : Instant.now().plus(left);
    }

    /** How long until the next run starts, while in backoff; else null. Read off the scheduled start itself. */
    public Duration restartIn() {
        java.util.concurrent.ScheduledFuture<?> pending = pendingRestart;
        return pending == null ? null : Duration.ofMillis(Math.max(0, pending.getDelay(java.util.concurrent.TimeUnit.MILLISECONDS)));
    }

    /** Why the restart policy could not start the next run, or null. */
    public String restartFailure() {
        return restartFailure;
    }

    void restartFailure(String why) {
        this.restartFailure = why;
    }

    boolean inBackoff() {
        return pendingRestart != null;
    }

    /** When the end was observed, or null while it runs. */
    public Instant endedAt() {
        return endedAt;
    }

    public Duration timeout() {
        return timeout;
    }

    public JobOutput output() {
        return output;
    }

    /** How the job ended, or null while it runs. */
    public Ending ending() {
        return ending;
    }

    public boolean hasEnded() {
        return ending != null;
    }

    public boolean isAlive() {
        return ending == null;
    }

    /** Completes with the ending once the job's end is observed. */
    public CompletableFuture<Ending> whenEnded() {
        return ended.copy();
    }

    CompletableFuture<Ending> endFuture() {
        return ended;
    }

    /** Every signal procsh sent to this job, oldest first. */
    public List<SignalRecord> signals() {
        return List.copyOf(signals);
    }

    /** Time it has run, or ran. */
    public Duration runTime() {
        Instant end = endedAt;
        return Duration.between(started, end != null ? end : Instant.now());
    }

    /** The state now; "stopped" is read from the OS (for a remote job, asked of its agent), so it is live. */
    public JobState state() {
        return state(null);
    }

    /** As {@link #state()}, with what a remote run's agent already said ({@code told}) instead of asking again. */
    JobState state(RemoteRun.Facts told) {
        Ending e = ending;
        if (e != null) {
            return e.state();
        }
        if (pendingRestart != null) {
            return JobState.BACKOFF;
        }
        OsProcess.Activity now = told == null || process.onExit().isDone() ? process.poll() : told.activity();
        if (now == OsProcess.Activity.ENDED) {
            // onExit is complete: the table has dealt with the run's end, or another thread is doing so now.
            runRecorded.join();
            e = ending;
            return e != null ? e.state() : pendingRestart != null ? JobState.BACKOFF : JobState.RUNNING;
        }
        if (process instanceof RemoteRun run && run.lost()) {
            return JobState.UNKNOWN;
        }
        if (stop != null) {
            return JobState.STOPPING;
        }
        if (now == null) {
            return JobState.UNKNOWN; // its host did not answer in time
        }
        return now == OsProcess.Activity.STOPPED ? JobState.STOPPED : JobState.RUNNING;
    }

    /** What the OS says about the job now (for a remote job, the OS there); empty once it has ended or where there is no /proc. */
    public Optional<LiveStats> live() {
        if (hasEnded()) {
            return Optional.empty();
        }
        if (process instanceof RemoteRun run) {
            // A remote PID means nothing in this machine's /proc: its agent reads its own.
            return Optional.ofNullable(Observation.ask(List.of(this)).getOrDefault(run, RemoteRun.Facts.UNANSWERED).live());
        }
        // Read first, then checked: until the process is reaped its PID cannot belong to another.
        Optional<ProcStat> stat = ProcFs.stat(pid());
        return stat.filter(s -> !s.zombie() && !process.reaped()).map(s -> {
            List<ProcStat> scan = ProcFs.recent(LIVE_SCAN_AGE);
            List<ProcStat> descendants = ProcFs.descendantsIn(s.pid(), scan);
            return new LiveStats(s.state(), s.pgrp(), s.session(), ProcFs.cpuTime(s), ProcFs.rssBytes(s), descendants,
                    jobCpu(s, descendants, scan));
        });
    }

    /** The leader, its descendants and, when it leads its own group, every member of that group: each counted once. */
    private static Duration jobCpu(ProcStat leader, List<ProcStat> descendants, List<ProcStat> scan) {
        Set<Long> counted = new java.util.HashSet<>();
        counted.add(leader.pid());
        long ticks = leader.cpuTicks();
        for (ProcStat d : descendants) {
            if (counted.add(d.pid())) {
                ticks += d.cpuTicks();
            }
        }
        if (leader.pgrp() == leader.pid()) {
            for (ProcStat s : scan) {
                if (s.pgrp() == leader.pid() && !s.zombie() && counted.add(s.pid())) {
                    ticks += s.cpuTicks();
                }
            }
        }
        return ProcFs.cpuTime(ticks);
    }

    /** {@code running}, {@code stopped}, {@code stopping}, or how it ended. */
    public String status() {
        JobState now = state(); // a poll: it may find the job ended, and record that first
        Ending e = ending;
        return e != null ? e.describe() : now.label();
    }

    @Override
    public String toString() {
        return "[" + id + "] " + pid() + " " + commandLine() + " (" + status() + ")";
    }

    OsProcess process() {
        return process;
    }

    /** How it was spawned, for restart. */
    SpawnRequest request() {
        return request;
    }

    void record(SignalRecord record) {
        signals.add(record);
    }

    StopInProgress stop() {
        return stop;
    }

    void stop(StopInProgress stop) {
        this.stop = stop;
    }

    /** The newest signal procsh sent with this number to the current run, to credit a death by it to its sender. */
    Optional<SignalRecord> lastSent(int signalNumber) {
        Instant runStart = started;
        for (int i = signals.size() - 1; i >= 0; i--) {
            SignalRecord r = signals.get(i);
            if (r.at().isBefore(runStart)) {
                break;
            }
            if (r.signal().number() == signalNumber) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    procsh.os.SpawnPlan plan() {
        return plan;
    }

    int quickRestarts() {
        return quickRestarts;
    }

    /** The current run ended and the next is started by {@code pending}. */
    void backoff(Ending run, int quick, java.util.concurrent.ScheduledFuture<?> pending) {
        this.lastRun = run;
        this.quickRestarts = quick;
        this.pendingRestart = pending;
        runRecorded.complete(null);
    }

    /** Leaves backoff without a new run (stopped meanwhile); true when a restart was pending and is now cancelled. */
    boolean cancelRestart() {
        java.util.concurrent.ScheduledFuture<?> pending = pendingRestart;
        pendingRestart = null;
        if (pending == null) {
            return false;
        }
        pending.cancel(false);
        return true;
    }

    /** A new run started. */
    void restarted(OsProcess next, Instant at) {
        this.runRecorded = new CompletableFuture<>();
        this.started = at;
        this.process = next;
        this.restarts++;
        this.pendingRestart = null;
    }

    void end(Ending ending, Instant at) {
        this.endedAt = at;
        this.ending = ending;
        this.pendingRestart = null;
        ended.complete(ending);
        runRecorded.complete(null);
    }
}

package procsh.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import procsh.os.Backend;
import procsh.os.Backends;
import procsh.os.Environment;
import procsh.os.ExitStatus;
import procsh.os.Executables;
import procsh.os.OsProcess;
import procsh.os.OsSignals;
import procsh.os.ProcFs;
import procsh.os.ProcStat;
import procsh.os.Pty;
import procsh.os.Signal;
import procsh.os.Signals;
import procsh.os.SpawnException;
import procsh.os.SpawnPlan;
import procsh.text.Escape;

/**
 * The session's process table: every job it started and every operation on them. The console,
 * Groovy and jshell all call this; it knows nothing of terminals. Safe for concurrent use.
 */
public final class JobTable implements AutoCloseable {

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** Environment variable marking every process of a job, so escaped descendants can be found. */
    public static final String MARKER = "PROCSH_JOB";
    private static final long STOP_TICK_MS = 20;
    /** How long after SIGKILL a stop waits before it reports survivors. */
    private static final Duration KILL_SETTLE = Duration.ofSeconds(2);
    /** Tree stops look for escaped descendants (by marker) every this many ticks, and before escalating or ending. */
    private static final int MARKER_SCAN_EVERY = 5;
    /** How often running jobs' logs are checked against their caps: a stat per stream, ~1 us each. */
    private static final long LOG_CHECK_MS = 250;
    /** How old the scan a report of what a job left running may use (see {@link #remaining}). */
    private static final Duration REMAINING_SCAN_AGE = Duration.ofMillis(100);

    private final Backend backend;
    /** This machine's jobs go through the backend; each other host has its own launcher, made on first use. */
    private final Launcher local;
    private final Map<String, Launcher> remotes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile java.util.function.Function<String, Launcher> remoteLaunchers = procsh.remote.SshLauncher::new;
    private final SessionDirectory directory;
    private final SessionContext context;
    private final Signals signals = Signals.os();
    // Looked up once: parsing a name on every kill costs more than the kill system call.
    private final Signal sigkill = signals.require("KILL");
    private final Signal sigterm = signals.require("TERM");
    private final Signal sigcont = signals.require("CONT");
    private final ConcurrentSkipListMap<Integer, Job> jobs = new ConcurrentSkipListMap<>();
    private final Map<Integer, ScheduledFuture<?>> timeouts = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
    private final List<StopInProgress> stops = new CopyOnWriteArrayList<>();
    private final ScheduledThreadPoolExecutor timer;
    private final Object spawnLock = new Object();
    private final JobEnvironment.Cache environments = new JobEnvironment.Cache();
    private volatile Markers recentMarkers;
    private int nextId = 1;
    private ScheduledFuture<?> stopTicker;
    private ScheduledFuture<?> logCheck;
    private long stopTicks;
    private volatile Duration defaultGrace = DEFAULT_GRACE;
    private volatile boolean keepJobs;
    private volatile boolean closed;
    private Thread shutdownHook;

    public JobTable(Backend backend, SessionDirectory directory, SessionContext context) {
        this.backend = backend;
        this.local = new LocalLauncher(backend);
        this.directory = directory;
        this.context = context;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "procsh-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** A table with the default backend, the user's state directory and this process's cwd and environment. */
    public static JobTable open() {
        return new JobTable(Backends.choose(), SessionDirectory.create(), SessionContext.fromProcess());
    }

    public Backend backend() {
        return backend;
    }

    public SessionContext context() {
        return context;
    }

    public SessionDirectory directory() {
        return directory;
    }

    public Signals signals() {
        return signals;
    }

    public Duration defaultGrace() {
        return defaultGrace;
    }

    public void defaultGrace(Duration grace) {
        this.defaultGrace = grace;
    }

    /** How a launcher for another host is made (ssh by default); for tests and other transports. */
    public void remoteLaunchers(java.util.function.Function<String, Launcher> factory) {
        this.remoteLaunchers = factory;
    }

    /** The launchers of the other hosts this session has used, in no particular order. */
    public List<Launcher> hosts() {
        return List.copyOf(remotes.values());
    }

    /** The launcher for {@code host}: one per host for the session, so all its jobs share one connection. */
    private Launcher remote(String host) {
        if (!host.matches("[A-Za-z0-9_.@:%\\[\\]-]+") || host.startsWith("-") || host.startsWith("@")) {
            // Never an ssh option (-oProxyCommand=...), a space or a control character.
            throw new ProcshException("bad host '" + Escape.echo(host) + "': give [user@]HOST as ssh takes it, not starting with '-'");
        }
        return remotes.computeIfAbsent(host, h -> {
            Launcher launcher = remoteLaunchers.apply(h);
            launcher.listener(hostNews);
            return launcher;
        });
    }

    /** What the launchers say of their connections, passed on to the listeners on the table's thread. */
    private final JobListener hostNews = new JobListener() {
        @Override
        public void jobEnded(Job job) {
        }

        @Override
        public void hostLost(String host, int running) {
            tell(l -> l.hostLost(host, running));
        }

        @Override
        public void hostBack(String host, int readopted, int gone) {
            tell(l -> l.hostBack(host, readopted, gone));
        }

        private void tell(java.util.function.Consumer<JobListener> news) {
            if (!listeners.isEmpty() && !timer.isShutdown()) {
                timer.execute(() -> listeners.forEach(news));
            }
        }
    };

    public void addListener(JobListener listener) {
        listeners.add(listener);
    }

    public void removeListener(JobListener listener) {
        listeners.remove(listener);
    }

    // ---------------------------------------------------------------- spawn

    public Job spawn(SpawnRequest request) {
        if (closed) {
            throw new ProcshException("this session is closing: no new jobs");
        }
        List<String> argv = request.argv();
        for (String arg : argv) {
            if (arg.indexOf('\0') >= 0) {
                throw new ProcshException("an argument contains a NUL byte, which no program can receive");
            }
        }
        String name = request.name();
        if (name != null) {
            checkName(name);
        }
        if (request.hasTerminal()) {
            checkTerminal(request);
        }
        if (request.host() != null) {
            return spawnRemote(request, remote(request.host())); // its host's agent says whether it can give it a terminal
        }
        Path cwd;
        Path executable;
        JobEnvironment environment = environments.of(context.snapshot(), request);
        try {
            // Checked by the backend (before, or when the spawn fails), not here: see Executables.
            cwd = (request.cwd() == null ? context.cwd() : context.cwd().resolve(request.cwd())).toAbsolutePath().normalize();
            executable = Executables.resolve(argv.get(0), cwd, environment.environment().get("PATH"));
        } catch (SpawnException e) {
            throw new ProcshException(e.getMessage());
        }
        if (request.hasTerminal() && !backend.terminals()) {
            throw new ProcshException("--pty needs the native backend (this session runs on " + backend.name()
                    + "): start procsh on Linux without --backend jdk");
        }
        Job job;
        synchronized (spawnLock) {
            int id = nextId;
            // The files first: the first of them makes the session's directory, which fixes its id.
            Path out = directory.file(id + ".out");
            Path err = directory.file(id + ".err");
            Environment env = environment.environment().with(MARKER, directory.sessionId() + ":" + id);
            if (request.hasTerminal() && !request.env().containsKey("TERM")) {
                env = env.with("TERM", request.terminalType());
            }
            OsProcess process = null;
            SpawnPlan plan = new SpawnPlan(executable, argv, cwd, env, request.stdin(), out, err, directory.outputs());
            Pty pty = null;
            PtyTerminal terminal = null;
            try {
                if (request.hasTerminal()) {
                    pty = Pty.open(request.columns(), request.rows());
                    plan = plan.withTerminal(pty.slavePath());
                }
                process = local.start(plan, request);
                if (pty != null) {
                    pty.releaseSlave();
                    terminal = new PtyTerminal(pty, terminalLog(out), id, process.onExit());
                }
            } catch (SpawnException | IOException | RuntimeException e) {
                if (pty != null) {
                    pty.close(); // the job, if it started, is hung up: it reads EOF and gets SIGHUP
                }
                if (process != null) {
                    killUntracked(process);
                }
                deleteOutput(out);
                deleteOutput(err);
                throw new ProcshException(e.getMessage(), e);
            }
            nextId++;
            job = new Job(id, name, local, process, plan, request, cwd, environment.added(), environment.removed(), Instant.now(),
                    new JobOutput(out, err, request.logMax()));
            if (terminal != null) {
                job.terminal(terminal);
                terminal.start();
            }
            jobs.put(id, job);
        }
        return started(job, request);
    }

    /**
     * A job on another host: the program, directory and environment are the user's words, resolved
     * there (its PATH, its home for a relative directory); only the added and removed variables
     * travel, never this machine's environment. Its output comes back into the same local files.
     */
    private Job spawnRemote(SpawnRequest request, Launcher launcher) {
        List<String> argv = request.argv();
        Path cwd = request.cwd() != null ? request.cwd() : Path.of("~");
        try {
            launcher.ready(); // connecting can take seconds: not while holding the spawn lock
        } catch (SpawnException e) {
            throw new ProcshException(e.getMessage(), e);
        }
        Job job;
        synchronized (spawnLock) {
            int id = nextId;
            Path out = directory.file(id + ".out");
            Path err = directory.file(id + ".err");
            SpawnPlan plan = new SpawnPlan(Path.of(argv.get(0)), argv, cwd, Environment.of(request.env()), request.stdin(), out, err,
                    directory.outputs());
            OsProcess process;
            try {
                process = launcher.start(plan, request);
            } catch (SpawnException | RuntimeException e) {
                deleteOutput(out);
                deleteOutput(err);
                throw new ProcshException(e.getMessage(), e);
            }
            nextId++;
            job = new Job(id, request.name(), launcher, process, plan, request, cwd, request.env(), request.unset(), Instant.now(),
                    new JobOutput(out, err, request.logMax()));
            if (process instanceof RemoteRun run) {
                job.terminal(run.terminal(job.output())); // before its end is watched: that waits for the terminal
            }
            jobs.put(id, job);
        }
        return started(job, request);
    }

    private Job started(Job job, SpawnRequest request) {
        ensureLogCheck();
        if (request.timeout() != null) {
            Duration grace = request.grace() != null ? request.grace() : defaultGrace;
            timeouts.put(job.id(), timer.schedule(() -> stopAsync(job, grace, Sender.TIMEOUT, Scope.GROUP),
                    request.timeout().toMillis(), TimeUnit.MILLISECONDS));
        }
        if (request.restart().restarts()) {
            job.process().watchNow(); // as for each next run: a quick failure is restarted without waiting for a batch
        }
        job.process().onExit().thenAccept(status -> {
            if (job.terminal() == null) {
                ended(job, status);
            } else {
                afterTerminalDrained(job, () -> ended(job, status));
            }
        });
        return job;
    }

    /** How long the end of a pty job waits for what it wrote last to reach its log (a child may keep the terminal). */
    private static final long TERMINAL_DRAIN_MS = 500;

    /**
     * Runs {@code then} once the job's terminal is closed, or after {@link #TERMINAL_DRAIN_MS}: its
     * end is recorded with its last output already in the log, for a wait followed by a read.
     */
    private void afterTerminalDrained(Job job, Runnable then) {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        job.terminal().whenClosed().thenRun(() -> drained.complete(null));
        if (!drained.isDone()) {
            try {
                timer.schedule(() -> drained.complete(null), TERMINAL_DRAIN_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                drained.complete(null);
            }
        }
        drained.thenRun(then);
    }

    /** A job that started but could not be set up (its log would not open) is not left running untracked. */
    private void killUntracked(OsProcess process) {
        try {
            process.signal(sigkill);
            process.awaitExit(java.util.concurrent.TimeUnit.SECONDS.toNanos(2));
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void checkTerminal(SpawnRequest request) {
        if (request.stdin()) {
            throw new ProcshException("--pty and --stdin both give the job an input: drop --stdin (send types into its terminal)");
        }
        if (request.restart().restarts()) {
            throw new ProcshException("--pty does not go with --restart yet: restart the job by hand (restart ID)");
        }
    }

    /**
     * The job's stdout log, which the job itself created empty when it started (so the spawn's
     * checks against planted files hold): appended to, never through a link, by the pump.
     */
    private FileChannel terminalLog(Path out) throws IOException {
        return FileChannel.open(Path.of(directory.outputs().reach(out.getFileName().toString())),
                StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
    }

    private void checkName(String name) {
        // A name is shown as it is everywhere, so nothing that would need escaping is accepted.
        if (name.isBlank() || name.chars().allMatch(Character::isDigit) || name.startsWith("%") || name.startsWith("-")
                || name.chars().anyMatch(Character::isWhitespace) || !Escape.isPlain(name)) {
            throw new ProcshException("bad job name '" + Escape.echo(name)
                    + "': use letters, digits, '-', '_' or '.', not only digits, no spaces or control characters");
        }
        for (Job other : jobs.values()) {
            if (name.equals(other.name()) && other.isAlive()) {
                throw new ProcshException("job " + other.id() + " is already named '" + name + "' and still running: pick another name");
            }
        }
    }

    /** Spawns the job's command again with the same arguments, directory, environment and name, under a new id. */
    public Job restart(Job job) {
        if (job.isAlive()) {
            stop(job, defaultGrace);
        }
        return spawn(job.request());
    }

    /**
     * Schedules the next run when the job's restart policy wants one (and no stop, timeout or the
     * session's end is under way); true when it did.
     */
    private boolean backoff(Job job, Ending ending) {
        RestartPolicy policy = job.restartPolicy();
        if (!policy.restarts() || closed || timer.isShutdown()) {
            return false;
        }
        Duration delay;
        synchronized (job) {
            if (job.stop() != null) {
                return false;
            }
            int quick = policy.stable(Duration.between(job.started(), Instant.now())) ? 0 : job.quickRestarts();
            if (!policy.wantsRestart(ending, quick)) {
                return false;
            }
            delay = policy.delay(quick);
            try {
                job.backoff(ending, quick + 1, timer.schedule(() -> startNextRun(job), delay.toMillis(), TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                return false;
            }
        }
        if (!listeners.isEmpty()) {
            timer.execute(() -> listeners.forEach(l -> l.jobRestarting(job, ending, delay)));
        }
        return true;
    }

    /** The restart policy's next run: the same program, arguments, directory, environment and log files. */
    private void startNextRun(Job job) {
        OsProcess next;
        synchronized (job) {
            if (!job.inBackoff() || closed) {
                return; // stopped meanwhile
            }
            try {
                next = job.launcher().start(job.plan().forNextRun(), job.request());
            } catch (SpawnException | RuntimeException e) {
                job.cancelRestart();
                job.restartFailure(e.getMessage());
                endForGood(job, job.lastRun());
                return;
            }
            job.restarted(next, Instant.now());
        }
        // Watched at once, not in the reaper's next batch: a run that fails at start is seen ending as soon as it does.
        next.watchNow();
        next.onExit().thenAccept(status -> ended(job, status));
    }

    private void ended(Job job, ExitStatus status) {
        Ending ending;
        if (status.signalled()) {
            Signal signal = signals.byNumber(status.signal()).orElseGet(() -> new Signal(status.signal(), "SIG" + status.signal()));
            // A remote run's signals were sent there, by its agent for us: the agent knows who sent the fatal one.
            Sender sender = job.process() instanceof RemoteRun run ? run.endSender()
                    : job.lastSent(signal.number()).map(SignalRecord::sender).orElse(null);
            ending = Ending.killed(signal, sender, status.coreDumped());
        } else if (!status.exact() && status.code() > 128 && signals.byNumber(status.code() - 128).isPresent()) {
            // 128+N from the JDK: a signal procsh sent is credited; anything else is said both ways.
            Signal signal = signals.byNumber(status.code() - 128).get();
            Optional<SignalRecord> sent = job.lastSent(signal.number());
            ending = sent.isPresent() ? Ending.killed(signal, sent.get().sender(), false)
                    : Ending.uncertain(status.code(), signal, backend.name());
        } else {
            ending = Ending.exited(status.code());
        }
        if (backoff(job, ending)) {
            return;
        }
        endForGood(job, ending);
    }

    /** Records the job's final end: no run follows. */
    private void endForGood(Job job, Ending ending) {
        ScheduledFuture<?> timeout = timeouts.remove(job.id());
        if (timeout != null) {
            timeout.cancel(false);
        }
        job.end(ending, Instant.now());
        if (!timer.isShutdown()) {
            // Whatever it wrote last is brought under the cap too.
            timer.execute(() -> job.output().rotateIfOver());
        }
        if (!listeners.isEmpty() && !timer.isShutdown()) {
            timer.execute(() -> listeners.forEach(l -> l.jobEnded(job)));
        }
    }

    // ---------------------------------------------------------------- lookup

    /** All jobs, by id: a snapshot. */
    public List<Job> jobs() {
        return List.copyOf(jobs.values());
    }

    public List<Job> running() {
        return jobs.values().stream().filter(Job::isAlive).toList();
    }

    public List<Job> ended() {
        return jobs.values().stream().filter(Job::hasEnded).toList();
    }

    /** A job by id ({@code 2}), {@code %2}, or name; a name means the newest job of that name. */
    public Optional<Job> find(String ref) {
        if (ref == null) {
            return Optional.empty();
        }
        String key = ref.strip();
        if (key.startsWith("%")) {
            key = key.substring(1);
        }
        if (!key.isEmpty() && key.length() < 10 && key.chars().allMatch(Character::isDigit)) {
            return Optional.ofNullable(jobs.get(Integer.parseInt(key)));
        }
        String name = key;
        return jobs.descendingMap().values().stream().filter(j -> name.equals(j.name())).findFirst();
    }

    public Optional<Job> find(int id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Like {@link #find(String)}, but a missing job is an error saying how to see the jobs. */
    public Job get(String ref) {
        return find(ref).orElseThrow(() -> new ProcshException(noSuchJob(ref)));
    }

    public Job get(int id) {
        return find(id).orElseThrow(() -> new ProcshException(noSuchJob(Integer.toString(id))));
    }

    private String noSuchJob(String ref) {
        String shown = ref == null ? "" : Escape.echo(ref);
        return jobs.isEmpty() ? "no job '" + shown + "': the table is empty (spawn one first)"
                : "no job '" + shown + "': `list` shows the jobs";
    }

    // ---------------------------------------------------------------- poll and wait

    /** Answers at once: {@code running} (or stopped/stopping), or how the job ended. */
    public String poll(Job job) {
        return job.status();
    }

    /**
     * What a command sees of these jobs: their states, live stats and leftovers, with one question
     * to each host that runs any of them (see {@link Observation}); to be used for one command only.
     */
    public Observation observe(Collection<Job> jobs) {
        return new Observation(this, jobs);
    }

    /** Waits for one job; a timeout (null = none) is an answer, and leaves the process alone. */
    public WaitResult waitFor(Job job, Duration timeout) throws InterruptedException {
        return waitFor(List.of(job), timeout, false);
    }

    /**
     * Waits until all (or, with {@code any}, one) of the jobs have ended, or the timeout passes.
     * Interruptible: an interrupt ends the wait and touches no job.
     */
    public WaitResult waitFor(Collection<Job> group, Duration timeout, boolean any) throws InterruptedException {
        long start = System.nanoTime();
        long limit = timeout == null ? Long.MAX_VALUE : Math.max(0, timeout.toNanos());
        boolean timedOut = any && group.size() > 1 ? !awaitAny(group, limit) : !awaitEach(group, start, limit);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<Job> done = new ArrayList<>(group.size());
        List<Job> still = new ArrayList<>();
        for (Job job : group) {
            (job.hasEnded() ? done : still).add(job);
        }
        return new WaitResult(List.copyOf(done), List.copyOf(still), took, timedOut);
    }

    /**
     * One job after another, each waited for by this thread itself ({@link OsProcess#awaitExit}),
     * so the kernel wakes the waiter directly, as a blocking waitpid would.
     */
    private static boolean awaitEach(Collection<Job> group, long start, long limit) throws InterruptedException {
        for (Job job : group) {
            long left = limit == Long.MAX_VALUE ? limit : limit - (System.nanoTime() - start);
            if (job.hasEnded()) {
                continue;
            }
            if (left <= 0 || !job.process().awaitExit(left)) {
                return false;
            }
            // Reaped; the ending is set right after, by whichever thread reaped it.
            if (!getQuietly(job.endFuture(), limit == Long.MAX_VALUE ? limit : limit - (System.nanoTime() - start))) {
                return false;
            }
        }
        return true;
    }

    private static boolean awaitAny(Collection<Job> group, long limit) throws InterruptedException {
        group.forEach(job -> job.process().watchNow());
        CompletableFuture<?>[] futures = group.stream().map(Job::endFuture).toArray(CompletableFuture[]::new);
        return getQuietly(CompletableFuture.anyOf(futures), limit);
    }

    /** Waits for the future; false when the time passed first. */
    private static boolean getQuietly(CompletableFuture<?> future, long nanos) throws InterruptedException {
        try {
            if (nanos == Long.MAX_VALUE) {
                future.get();
            } else {
                future.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public WaitResult waitAll(Duration timeout) throws InterruptedException {
        return waitFor(running(), timeout, false);
    }

    public WaitResult waitAny(Duration timeout) throws InterruptedException {
        return waitFor(running(), timeout, true);
    }

    // ---------------------------------------------------------------- signals

    public Signal signal(String spelled) {
        return signals.parse(spelled).orElseThrow(() -> new ProcshException(signals.unknown(spelled)));
    }

    /**
     * SIGTERM, as Python's terminate(), to the job's process group as bash's {@code kill %1} does:
     * the leader alone would leave its children ({@code sh -c 'yes > /dev/null'}) running, orphaned.
     */
    public SignalRecord terminate(Job job) {
        return signal(job, sigterm, Scope.GROUP, Sender.USER);
    }

    /** SIGKILL, as Python's kill(), to the job's process group (see {@link #terminate}). */
    public SignalRecord kill(Job job) {
        return signal(job, sigkill, Scope.GROUP, Sender.USER);
    }

    /**
     * Sends a signal to the job's process, its group, or its whole tree. A job whose end has been
     * observed is never signalled: its PID may belong to another process now.
     */
    public SignalRecord signal(Job job, Signal signal, Scope scope, Sender sender) {
        SignalRecord record = new SignalRecord(signal, Instant.now(), sender, scope);
        Duration restartIn = job.restartIn();
        if (restartIn != null) {
            throw new ProcshException("job " + job.id() + " is between runs (restart " + (job.restarts() + 1) + " in "
                    + Durations.format(restartIn) + "): nothing runs to signal; stop " + job.id()
                    + " ends its restarts");
        }
        try {
            if (job.hasEnded()) {
                if (scope == Scope.PROCESS || job.process() instanceof RemoteRun || !signalLeftovers(job, signal, scope)) {
                    throw new ProcshException(alreadyEnded(job));
                }
                job.record(record);
                return record;
            }
            job.record(record);
            boolean sent = job.process() instanceof RemoteRun run ? run.signal(signal, scope) : switch (scope) {
                case PROCESS -> job.process().signal(signal);
                case GROUP -> signalGroup(job, signal);
                case TREE -> signalTree(job, signal, ProcFs.all());
            };
            if (!sent) {
                throw new ProcshException(alreadyEnded(job));
            }
        } catch (IOException e) {
            throw new ProcshException(e.getMessage(), e);
        }
        StopInProgress stop = job.stop();
        if (stop != null && sender == Sender.USER && signal.number() == sigkill.number()) {
            stop.escalationCancelled = true;
        }
        return record;
    }

    private String alreadyEnded(Job job) {
        Ending ending = job.ending();
        return "job " + job.id() + " has already ended" + (ending != null ? " (" + ending.describe() + ")" : "")
                + ": not signalling it, its PID " + job.pid() + " may belong to another process now";
    }

    private boolean signalGroup(Job job, Signal signal) throws IOException {
        if (!backend.ownSession()) {
            // The job shares procsh's own group: reach its children by parent instead (read before
            // the leader's signal, which would re-parent them).
            List<ProcStat> children = ProcFs.descendants(job.pid());
            boolean sent = job.process().signal(signal);
            for (ProcStat s : children) {
                if (ProcFs.alive(s.pid(), s.startTicks())) {
                    OsSignals.kill(s.pid(), signal);
                }
            }
            return sent;
        }
        return OsSignals.killGroup(job.pid(), signal) || job.process().signal(signal);
    }

    /**
     * The live processes of a job besides its own: members of its group and processes carrying its
     * marker. After the job's end they are what it left running; read from a recent shared scan
     * (so a burst of reports costs one pass over /proc), each confirmed alive.
     */
    public List<ProcStat> remaining(Job job) {
        if (job.process() instanceof RemoteRun run) {
            // Its agent's to know: what it said at the end, so no round trip here (end notices ask on the table's thread).
            return job.hasEnded() ? run.leftAtEnd() : List.of();
        }
        // Never a scan from before the end: a child forked just before it would be missed.
        Instant end = job.endedAt();
        Duration sinceEnd = end == null ? Duration.ZERO : Duration.between(end, Instant.now());
        List<ProcStat> scan = ProcFs.recent(sinceEnd.compareTo(REMAINING_SCAN_AGE) < 0 ? sinceEnd : REMAINING_SCAN_AGE);
        Markers markers = recentMarkers;
        if (markers == null || markers.scan != scan) {
            markers = new Markers(scan, ProcFs.byEnvironment(scan, MARKER));
            recentMarkers = markers;
        }
        Map<Long, ProcStat> found = new LinkedHashMap<>();
        List<ProcStat> ofJob = markers.byMarker.getOrDefault(marker(job), List.of());
        if (backend.ownSession()) {
            // Once the job is reaped its PID, and so its group id, may be another process's: a member counts only
            // with the job's marker. (While any of its own are alive the kernel keeps the group id from reuse.)
            Set<Long> marked = job.hasEnded() ? pids(ofJob) : null;
            scan.stream().filter(s -> s.pgrp() == job.pid() && s.pid() != job.pid())
                    .filter(s -> marked == null || marked.contains(s.pid())).forEach(s -> found.putIfAbsent(s.pid(), s));
        }
        ofJob.stream().filter(s -> s.pid() != job.pid()).forEach(s -> found.putIfAbsent(s.pid(), s));
        return found.values().stream().filter(s -> ProcFs.alive(s.pid(), s.startTicks())).toList();
    }

    private static Set<Long> pids(List<ProcStat> processes) {
        return processes.stream().map(ProcStat::pid).collect(Collectors.toSet());
    }

    /** The processes by marker, read from one scan; kept while the scan is the shared recent one. */
    private record Markers(List<ProcStat> scan, Map<String, List<ProcStat>> byMarker) {
    }

    private boolean signalTree(Job job, Signal signal, List<ProcStat> scan) throws IOException {
        List<ProcStat> escaped = treeTargets(job, scan, Scope.TREE).stream().filter(s -> s.pgrp() != job.pid()).toList();
        boolean sent = signalGroup(job, signal);
        for (ProcStat s : escaped) {
            if (ProcFs.alive(s.pid(), s.startTicks())) {
                sent |= OsSignals.kill(s.pid(), signal);
            }
        }
        return sent;
    }

    /** After the job's own process has gone, members of its group (or tree) may live on; the group id stays theirs. */
    private boolean signalLeftovers(Job job, Signal signal, Scope scope) throws IOException {
        List<ProcStat> scan = ProcFs.all();
        List<ProcStat> left = treeTargets(job, scan, scope);
        if (left.isEmpty()) {
            return false;
        }
        if (backend.ownSession()) {
            OsSignals.killGroup(job.pid(), signal);
        }
        for (ProcStat s : left) {
            if (s.pgrp() != job.pid() && ProcFs.alive(s.pid(), s.startTicks())) {
                OsSignals.kill(s.pid(), signal);
            }
        }
        return true;
    }

    /**
     * The live processes a group or tree signal is meant for, the job's own process excluded,
     * deepest first: descendants by parent, members of its group, and (tree) every process
     * carrying the job's marker.
     */
    private List<ProcStat> treeTargets(Job job, List<ProcStat> scan, Scope scope) {
        return treeTargets(job, scan, scope, new MarkerScan(scan));
    }

    /** As above, with the processes by marker read once for many jobs (stopAll): one pass over /proc, not one per job. */
    private List<ProcStat> treeTargets(Job job, List<ProcStat> scan, Scope scope, Supplier<Map<String, List<ProcStat>>> markers) {
        Map<Long, ProcStat> found = new LinkedHashMap<>();
        if (job.isAlive()) {
            ProcFs.descendantsIn(job.pid(), scan).forEach(s -> found.putIfAbsent(s.pid(), s));
        }
        if (backend.ownSession()) {
            Set<Long> marked = job.hasEnded() ? pids(markers.get().getOrDefault(marker(job), List.of())) : null;
            scan.stream().filter(s -> s.pgrp() == job.pid() && s.pid() != job.pid() && !s.zombie())
                    .filter(s -> marked == null || marked.contains(s.pid()))
                    .forEach(s -> found.putIfAbsent(s.pid(), s));
        }
        if (scope == Scope.TREE) {
            markers.get().getOrDefault(marker(job), List.of()).stream()
                    .filter(s -> s.pid() != job.pid()).forEach(s -> found.putIfAbsent(s.pid(), s));
        }
        return new ArrayList<>(found.values());
    }

    // ---------------------------------------------------------------- stop

    public StopReport stop(Job job) {
        return stop(job, defaultGrace);
    }

    /** Stops the job and waits for the stop to finish; see {@link #stopAsync}. */
    public StopReport stop(Job job, Duration grace) {
        try {
            return stopAsync(job, grace, Sender.USER, Scope.GROUP).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcshException("interrupted: the stop of job " + job.id() + " goes on in the background");
        } catch (ExecutionException e) {
            throw new ProcshException("stop of job " + job.id() + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * SIGTERM to the job's group (SIGCONT too if it is stopped), up to {@code grace} for everything
     * to end, then SIGKILL to the group and each descendant still alive, deepest first. Completes
     * with the ending and the PIDs of any survivor. A second stop of the same job joins the first.
     */
    public CompletableFuture<StopReport> stopAsync(Job job, Duration grace, Sender initiator, Scope scope) {
        List<ProcStat> scan = ProcFs.all();
        return stopAsync(job, grace, initiator, scope, scan, new MarkerScan(scan));
    }

    private CompletableFuture<StopReport> stopAsync(Job job, Duration grace, Sender initiator, Scope scope, List<ProcStat> scan,
                                                    Supplier<Map<String, List<ProcStat>>> markers) {
        if (job.host() != null) {
            return stopRemote(job, grace, initiator, scope);
        }
        StopInProgress stop;
        synchronized (job) {
            CompletableFuture<StopReport> settled = settledStop(job);
            if (settled != null) {
                return settled;
            }
            List<ProcStat> targets = treeTargets(job, scan, scope, markers);
            if (job.hasEnded() && targets.isEmpty()) {
                return nothingToStop(job);
            }
            stop = new StopInProgress(job, scope, initiator, targets, grace);
            if (job.isAlive()) {
                job.stop(stop);
            }
        }
        job.process().watchNow(); // the stop ticker learns of the end from the backend
        boolean wasStopped = scan.stream().anyMatch(s -> (s.pid() == job.pid() || s.pgrp() == job.pid()) && s.stopped())
                || stop.targets.stream().anyMatch(ProcStat::stopped);
        sendQuietly(job, stop, sigterm, initiator);
        if (wasStopped) {
            sendQuietly(job, stop, sigcont, initiator);
        }
        stops.add(stop);
        ensureStopTicker();
        return stop.result;
    }

    /**
     * A stop that needs no new one, or null: the stop in progress (a second stop joins it), or, between
     * two runs of a restart policy, the job's end as its last run ended (nothing runs to signal).
     * Called holding the job's lock.
     */
    private CompletableFuture<StopReport> settledStop(Job job) {
        if (job.stop() != null) {
            return job.stop().result;
        }
        if (job.cancelRestart()) {
            endForGood(job, job.lastRun());
            return nothingToStop(job);
        }
        return null;
    }

    private static CompletableFuture<StopReport> nothingToStop(Job job) {
        return CompletableFuture.completedFuture(new StopReport(job, job.ending(), false, List.of(), Duration.ZERO));
    }

    /**
     * A remote job's stop is done by its agent, on its own table there (TERM, grace, KILL, tree);
     * here it shows as stopping and completes when the agent reports. The agent sends the job's end
     * before its answer, so the report has the ending.
     */
    private CompletableFuture<StopReport> stopRemote(Job job, Duration grace, Sender initiator, Scope scope) {
        StopInProgress stop;
        RemoteRun run;
        // Asked before the lock: what an ended job left running there is stopped there too.
        boolean leftovers = job.hasEnded() && !remaining(job).isEmpty();
        synchronized (job) {
            CompletableFuture<StopReport> settled = settledStop(job);
            if (settled != null) {
                return settled;
            }
            if (job.hasEnded() && !leftovers) {
                return nothingToStop(job);
            }
            stop = new StopInProgress(job, scope, initiator, List.of(), grace);
            if (job.isAlive()) {
                job.stop(stop);
            }
            run = (RemoteRun) job.process();
        }
        if (!run.lost()) {
            job.record(new SignalRecord(sigterm, Instant.now(), initiator, scope));
        }
        run.stop(grace, scope, initiator).whenComplete((outcome, error) -> {
            if (outcome == null) {
                // Not done there (the connection is lost): said as it is, not as a stop that left the job running.
                synchronized (job) {
                    if (job.stop() == stop) {
                        job.stop(null);
                    }
                }
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
                stop.result.completeExceptionally(new ProcshException(cause.getMessage(), cause));
                return;
            }
            List<Long> survivors = new ArrayList<>();
            stop.escalated = outcome.escalated();
            survivors.addAll(outcome.survivors());
            if (job.isAlive()) {
                survivors.add(0, job.pid());
            }
            synchronized (job) {
                if (job.stop() == stop) {
                    job.stop(null);
                }
            }
            stop.result.complete(stop.report(survivors));
        });
        return stop.result;
    }

    /** Sends a stop's signal; a job that ends meanwhile is no error, and escaped targets get it directly. */
    private void sendQuietly(Job job, StopInProgress stop, Signal signal, Sender sender) {
        try {
            if (job.isAlive()) {
                job.record(new SignalRecord(signal, Instant.now(), sender, stop.scope));
                signalGroup(job, signal);
            } else if (backend.ownSession()) {
                OsSignals.killGroup(job.pid(), signal);
            }
            for (ProcStat s : stop.targets) {
                if ((s.pgrp() != job.pid() || !backend.ownSession()) && (stop.scope == Scope.TREE || sender == Sender.ESCALATION)
                        && ProcFs.alive(s.pid(), s.startTicks())) {
                    OsSignals.kill(s.pid(), signal);
                }
            }
        } catch (IOException | ProcshException e) {
            // The process went away between the scan and the signal: exactly what a stop wants.
        }
    }

    /** Checks the running jobs' logs against their caps every {@link #LOG_CHECK_MS}, while any job runs. */
    private synchronized void ensureLogCheck() {
        if (logCheck == null || logCheck.isDone()) {
            logCheck = timer.scheduleWithFixedDelay(this::rotateLogs, LOG_CHECK_MS, LOG_CHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void rotateLogs() {
        try {
            boolean any = false;
            for (Job job : jobs.values()) {
                if (job.isAlive()) {
                    any = true;
                    job.output().rotateIfOver();
                }
            }
            if (!any) {
                synchronized (this) {
                    if (running().isEmpty() && logCheck != null) {
                        logCheck.cancel(false);
                        logCheck = null;
                    }
                }
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is cancelled for good: the next check tries again instead.
        }
    }

    private synchronized void ensureStopTicker() {
        if (stopTicker == null || stopTicker.isDone()) {
            stopTicker = timer.scheduleWithFixedDelay(this::tickStops, 0, STOP_TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** One pass over every stop in progress, sharing one read of /proc. */
    private void tickStops() {
        try {
            tickStopsOnce();
        } catch (Throwable unexpected) {
            // An exception would cancel the periodic task, and every stop in progress would then wait forever.
            stops.forEach(stop -> finish(stop, List.of(stop.job.pid())));
        }
    }

    private void tickStopsOnce() {
        if (stops.isEmpty()) {
            synchronized (this) {
                if (stops.isEmpty() && stopTicker != null) {
                    stopTicker.cancel(false);
                    stopTicker = null;
                }
            }
            return;
        }
        List<ProcStat> all = ProcFs.all();
        Map<Long, ProcStat> scan = new HashMap<>();
        all.forEach(s -> scan.put(s.pid(), s));
        Instant now = Instant.now();
        // Environments are read (one pass over every process) only on the ticks that need them.
        Supplier<Map<String, List<ProcStat>>> markers = new MarkerScan(all);
        boolean markerTick = ++stopTicks % MARKER_SCAN_EVERY == 0;
        for (StopInProgress stop : stops) {
            try {
                advance(stop, all, scan, now, markers, markerTick);
            } catch (RuntimeException e) {
                finish(stop, List.of(stop.job.pid()));
            }
        }
    }

    private void advance(StopInProgress stop, List<ProcStat> all, Map<Long, ProcStat> scan, Instant now,
                         Supplier<Map<String, List<ProcStat>>> markers, boolean markerTick) {
        Job job = stop.job;
        List<Long> alive = new ArrayList<>();
        stop.aliveTargets(scan).forEach(s -> alive.add(s.pid()));
        if (backend.ownSession()) {
            all.stream().filter(s -> s.pgrp() == job.pid() && s.pid() != job.pid() && !s.zombie() && !alive.contains(s.pid()))
                    .forEach(s -> alive.add(s.pid()));
        }
        boolean escalating = !stop.escalated && !stop.escalationCancelled && !now.isBefore(stop.deadline);
        if (stop.scope == Scope.TREE && (markerTick || escalating || stop.escalated || (job.hasEnded() && alive.isEmpty()))) {
            // A descendant that escaped (own session) after the stop began carries the marker too:
            // it becomes a target, and gets the stop's signal now (the escalation's KILL if due).
            for (ProcStat s : markers.get().getOrDefault(marker(job), List.of())) {
                if (s.pid() != job.pid() && !alive.contains(s.pid())) {
                    alive.add(s.pid());
                    stop.targets.add(s);
                    if (!escalating) {
                        signalQuietly(s, stop.escalated ? "KILL" : "TERM");
                        if (!stop.escalated && s.stopped()) {
                            signalQuietly(s, "CONT");
                        }
                    }
                }
            }
        }
        if (job.hasEnded() && (alive.isEmpty() || stop.escalationCancelled)) {
            finish(stop, alive);
        } else if (escalating) {
            stop.escalated = true;
            stop.giveUpAt = now.plus(KILL_SETTLE);
            sendQuietly(job, stop, sigkill, Sender.ESCALATION);
            for (Long pid : alive) {
                // Group members that arrived after the snapshot are reached by the group KILL; this catches the rest.
                ProcStat s = scan.get(pid);
                if (s != null && (s.pgrp() != job.pid() || !backend.ownSession())) {
                    try {
                        OsSignals.kill(pid, sigkill);
                    } catch (IOException gone) {
                        // Already gone.
                    }
                }
            }
        } else if (stop.escalated && now.isAfter(stop.giveUpAt)
                || stop.escalationCancelled && now.isAfter(stop.deadline.plus(KILL_SETTLE))) {
            // Bounded either way: a stop whose job's end is never observed reports it as a survivor, never hangs.
            if (job.isAlive()) {
                alive.add(0, job.pid());
            }
            finish(stop, alive);
        }
    }

    /** The processes of each job by marker, read once per tick, on first use. */
    private static final class MarkerScan implements Supplier<Map<String, List<ProcStat>>> {
        private final List<ProcStat> all;
        private Map<String, List<ProcStat>> found;

        MarkerScan(List<ProcStat> all) {
            this.all = all;
        }

        @Override
        public Map<String, List<ProcStat>> get() {
            if (found == null) {
                found = ProcFs.byEnvironment(all, MARKER);
            }
            return found;
        }
    }

    private void signalQuietly(ProcStat target, String signal) {
        try {
            if (ProcFs.alive(target.pid(), target.startTicks())) {
                OsSignals.kill(target.pid(), signals.require(signal));
            }
        } catch (IOException gone) {
            // Gone between the scan and the signal.
        }
    }

    /** The value of {@link #MARKER} in the environment of every process of the job. */
    private String marker(Job job) {
        return directory.sessionId() + ":" + job.id();
    }

    private void finish(StopInProgress stop, List<Long> survivors) {
        if (stops.remove(stop)) {
            synchronized (stop.job) {
                if (stop.job.stop() == stop) {
                    stop.job.stop(null);
                }
            }
            stop.result.complete(stop.report(survivors));
        }
    }

    /** Stops every live job (and the leftovers of ended ones) in parallel with one grace period; waits for all. */
    public List<StopReport> stopAll(Duration grace, Sender initiator) {
        List<ProcStat> scan = ProcFs.all();
        Supplier<Map<String, List<ProcStat>>> markers = new MarkerScan(scan);
        List<CompletableFuture<StopReport>> pending = new ArrayList<>();
        for (Job job : jobs.values()) {
            // Whether it ran is read before the stop: a job the stop ends at once is reported too.
            boolean wasAlive = job.isAlive();
            CompletableFuture<StopReport> f = stopAsync(job, grace, initiator, Scope.TREE, scan, markers);
            if (!f.isDone() || wasAlive) {
                pending.add(f);
            }
        }
        List<StopReport> reports = new ArrayList<>();
        boolean interrupted = false;
        // Every stop ends by itself after grace + settle; the bound is a second guard so the session's end never hangs.
        long deadline = System.nanoTime() + grace.plus(KILL_SETTLE).plusSeconds(5).toNanos();
        for (CompletableFuture<StopReport> f : pending) {
            while (true) {
                try {
                    reports.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the session is ending: finish the job regardless
                } catch (ExecutionException | TimeoutException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return reports;
    }

    // ---------------------------------------------------------------- stdin

    /** How long a send waits for a job's full stdin pipe to take more before it gives up: the console waits that long. */
    static final Duration STDIN_STALL = Duration.ofMillis(500);

    /**
     * Writes to a job's stdin what its pipe takes; never blocks for long (see {@link #STDIN_STALL}).
     *
     * @throws ProcshException saying how much was written, when not everything was
     */
    public void send(Job job, String text) {
        send(job, text.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #send(Job, String)}, these bytes exactly (the agent's, for a job on its host). */
    public void send(Job job, byte[] bytes) {
        checkStdin(job);
        int written;
        try {
            JobTerminal terminal = job.terminal();
            // A terminal job reads what is typed at its terminal, a line ending in LF as in Enter.
            written = terminal != null ? terminal.type(bytes, 0, bytes.length) : job.process().writeStdin(bytes, STDIN_STALL.toNanos());
        } catch (IOException e) {
            throw new ProcshException("cannot write to job " + job.id() + ": " + e.getMessage(), e);
        }
        if (written < bytes.length) {
            String why = Thread.interrupted() ? "interrupted" : "job " + job.id() + " is not reading its stdin";
            throw new ProcshException("wrote " + written + " of " + bytes.length + " bytes: " + why + "; the rest was not sent");
        }
    }

    public void closeStdin(Job job) {
        checkStdin(job);
        if (job.terminal() != null) {
            send(job, "\u0004"); // Ctrl-D: end of input at the start of a line
            return;
        }
        try {
            job.process().closeStdin();
        } catch (IOException e) {
            throw new ProcshException("cannot close stdin of job " + job.id() + ": " + e.getMessage(), e);
        }
    }

    private void checkStdin(Job job) {
        if (job.terminal() != null) {
            if (job.hasEnded() || job.terminal().isClosed()) {
                throw new ProcshException("job " + job.id() + (job.hasEnded() ? " has ended (" + job.ending().describe() + ")" : " has closed its terminal")
                        + ": nothing reads what is typed");
            }
            return;
        }
        if (!job.request().stdin()) {
            throw new ProcshException("job " + job.id() + " has no stdin pipe: spawn it with --stdin to write to it");
        }
        if (job.hasEnded()) {
            throw new ProcshException("job " + job.id() + " has ended (" + job.ending().describe() + "): its stdin is gone");
        }
        if (!job.process().hasStdin()) {
            throw new ProcshException("stdin of job " + job.id() + " is already closed");
        }
    }

    /** Whether the job was spawned with a stdin pipe. */
    public boolean hasStdinPipe(Job job) {
        return job.request().stdin();
    }

    // ---------------------------------------------------------------- remove

    /** Removes an ended job from the table and deletes its log files; its id is never reused. */
    public void remove(Job job) {
        if (job.isAlive() && !(job.process() instanceof RemoteRun run && run.vanished())) {
            throw new ProcshException("job " + job.id() + " is still " + job.state().label() + ": stop it first (stop " + job.id() + ")");
        }
        jobs.remove(job.id());
        job.output().delete();
    }

    /** Removes every ended job and deletes their log files; returns them. */
    public List<Job> clean() {
        List<Job> gone = ended();
        gone.forEach(j -> {
            jobs.remove(j.id());
            j.output().delete();
        });
        return gone;
    }

    // ---------------------------------------------------------------- session end

    /** When true, closing the session leaves the jobs running. */
    public void keepJobs(boolean keep) {
        this.keepJobs = keep;
    }

    public boolean keepJobs() {
        return keepJobs;
    }

    /** Stops every job when the JVM shuts down (normal exit, SIGTERM, SIGHUP), unless told to keep them. */
    public synchronized void installShutdownHook() {
        if (shutdownHook == null) {
            shutdownHook = new Thread(() -> {
                if (!keepJobs) {
                    stopAll(defaultGrace, Sender.SESSION_EXIT);
                }
                // Else the ssh masters (ControlPersist) would outlive procsh by a minute.
                remotes.values().forEach(l -> l.close(keepJobs));
            }, "procsh-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Ends the session: stops every job (unless kept), then the table's own thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!keepJobs) {
            stopAll(defaultGrace, Sender.SESSION_EXIT);
        }
        // Each agent is told bye: it stops what still runs there, or leaves it running when the jobs are kept.
        remotes.values().forEach(l -> l.close(keepJobs));
        synchronized (this) {
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // Already in the hook's own shutdown: nothing to remove.
                }
                shutdownHook = null;
            }
        }
        timer.shutdownNow();
        for (Job job : jobs.values()) {
            if (job.terminal() != null) {
                job.terminal().close();
            }
        }
        synchronized (spawnLock) {
            // Not while a spawn names its files through the descriptor: a number closed and reused would lead elsewhere.
            directory.close();
        }
    }

    /** Through the opened directory, as it was created: never a file of the same name elsewhere. */
    private void deleteOutput(Path file) {
        try {
            deleteQuietly(Path.of(directory.outputs().reach(file.getFileName().toString())));
        } catch (IllegalStateException closed) {
            // The session is closing: its directory is no longer reachable, and an empty log is harmless.
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // An empty log left behind is harmless.
        }
    }

    /** Names of the jobs, for completion. */
    public Set<String> names() {
        return jobs.values().stream().map(Job::name).filter(java.util.Objects::nonNull)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}

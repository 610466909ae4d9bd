package procsh.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import procsh.core.Durations;
import procsh.core.JobListener;
import procsh.core.Launcher;
import procsh.core.ProcshException;
import procsh.core.RemoteRun;
import procsh.core.SpawnRequest;
import procsh.os.OsProcess;
import procsh.os.SpawnException;
import procsh.os.SpawnPlan;

/**
 * Jobs on one other host, run by one detached agent there that this session names (so a new
 * connection finds it again), reached through one ssh connection at a time, made on first use.
 * When the connection drops, the jobs there show as unknown and the launcher reconnects in the
 * background (0.5 s, doubling to 30 s between tries); the agent then sends what the jobs wrote and
 * how they ended meanwhile, and they are this session's again.
 */
public final class SshLauncher implements Launcher {

    /** How long the agent keeps jobs running while no procsh is connected; then it stops them. */
    public static final String LINGER_PROPERTY = "procsh.remote.linger";
    public static final String LINGER_ENV = "PROCSH_REMOTE_LINGER";
    private static final long FIRST_RETRY_MS = 500;
    private static final long MAX_RETRY_MS = 30_000;
    /** Events kept for a job whose spawn answer has not been read yet; its answer comes within a few. */
    private static final int MAX_EARLY = 1024;
    /** Spawns awaiting their answers at once: a handful (one per thread spawning there). */
    private static final int MAX_EARLY_JOBS = 64;

    private final String host;
    /** The agent's name there: this session's, never guessed by another (a private directory holds its socket). */
    private final String agentId = "procsh-" + ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    /** Runs whose end has not arrived, by the agent's job id. */
    private final Map<Long, RemoteProcess> runs = new ConcurrentHashMap<>();
    /**
     * Events of a job whose spawn answer the reader has passed on but whose run is not registered
     * yet (a quick job's output and end can follow its answer at once): kept for {@link #register}.
     */
    private final Map<Long, List<Map<String, Object>>> early = new HashMap<>();
    /** Held while connecting, which can take seconds: never by what only reads the state, and given up on Ctrl-C. */
    private final java.util.concurrent.locks.ReentrantLock connecting = new java.util.concurrent.locks.ReentrantLock();
    /** What close was told: a connection made while it closed ends the same way. */
    private volatile boolean keepOnClose;
    private volatile SshConnection connection;
    private volatile Path controlDir;
    private volatile String state = "not connected";
    private volatile boolean closed;
    private volatile Thread reconnecting;
    private final java.util.concurrent.atomic.AtomicLong spawns = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger spawnsInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile JobListener listener = job -> { };

    public SshLauncher(String host) {
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    /** The agent runs its jobs on the native backend where it can, which sees the exact wait status. */
    @Override
    public boolean exactExitStatus() {
        return true;
    }

    @Override
    public void listener(JobListener listener) {
        this.listener = listener;
    }

    /** Connects unless connected, on the caller's thread; while procsh reconnects in the background, says so at once. */
    @Override
    public void ready() throws SpawnException {
        if (connection != null) {
            return;
        }
        if (connecting.isLocked() && reconnecting != null && reconnecting.isAlive()) {
            throw new SpawnException(SshConnection.lostMessage(host), null);
        }
        try {
            connecting.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpawnException("interrupted: not connected to " + procsh.text.Escape.echo(host), e);
        }
        try {
            connect();
        } finally {
            connecting.unlock();
        }
    }

    /** Connects unless connected, holding {@link #connecting}; on a reconnection the agent is told what this side has of each job. */
    private void connect() throws SpawnException {
        if (closed) {
            throw new SpawnException("the session is closing: no new connection to " + procsh.text.Escape.echo(host), null);
        }
        if (connection != null) {
            return;
        }
        if (controlDir == null) {
            controlDir = SshConnection.newControlDir();
        }
        boolean again = !runs.isEmpty();
        List<Object> following = new ArrayList<>();
        runs.forEach((job, run) -> following.add(Map.of("job", job, "out", run.received(false), "err", run.received(true))));
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("linger_ms", linger().toMillis());
        hello.put("jobs", following);
        synchronized (early) {
            early.clear(); // events of spawns whose answers never came, on a connection gone now
        }
        SshConnection c = SshConnection.open(host, controlDir, agentId, hello, this::event, this::lost);
        Set<Long> found = new HashSet<>();
        if (c.helloAnswer().get("found") instanceof List<?> list) {
            list.forEach(n -> found.add(((Number) n).longValue()));
        }
        int readopted = 0;
        int gone = 0;
        for (Map.Entry<Long, RemoteProcess> e : runs.entrySet()) {
            if (found.contains(e.getKey())) {
                e.getValue().reachable();
                readopted++;
            } else if (runs.remove(e.getKey(), e.getValue())) {
                e.getValue().markVanished(); // the agent there ended (or the host restarted): its end will never be known
                gone++;
            }
        }
        boolean closedMeanwhile;
        synchronized (this) {
            closedMeanwhile = closed;
            if (!closedMeanwhile) {
                connection = c;
                state = "connected";
            }
        }
        if (closedMeanwhile) {
            // The session ended while this connected: as close would have done (it interrupted this thread).
            boolean interrupted = Thread.interrupted();
            sayBye(c, keepOnClose);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new SpawnException("the session is closing: no new connection to " + procsh.text.Escape.echo(host), null);
        }
        if ("lost".equals(c.state())) {
            lost(c); // it dropped before it was the connection: reconnect again
        }
        if (again) {
            runs.values().forEach(RemoteProcess::reconnected); // now that requests go through the new connection
            listener.hostBack(host, readopted, gone);
        }
    }

    private static void sayBye(SshConnection c, boolean keepJobs) {
        try {
            c.call(Map.of("op", "bye", "keep", keepJobs));
        } catch (IOException e) {
            // Gone meanwhile: it stops its jobs after the linger.
        }
        c.close();
    }

    private static Duration linger() {
        String value = System.getProperty(LINGER_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(LINGER_ENV);
        }
        if (value != null && !value.isBlank()) {
            try {
                return Durations.parse(value);
            } catch (ProcshException e) {
                // The default, as for other settings that do not parse.
            }
        }
        return Agent.DEFAULT_LINGER;
    }

    /** The connection ended without being closed: its runs are unknown until a reconnection. */
    private void lost(SshConnection c) {
        synchronized (this) {
            if (c != connection || closed) {
                return; // a connection that failed at hello, or an old one
            }
            connection = null;
            state = "lost";
        }
        runs.values().forEach(RemoteProcess::connectionLost);
        listener.hostLost(host, runs.size());
        // A spawn in flight too: its job may run there already, and only a hello tells the agent nobody follows it.
        if (!runs.isEmpty() || spawnsInFlight.get() > 0) {
            Thread t = new Thread(this::reconnect, "procsh-reconnect-" + host);
            t.setDaemon(true);
            reconnecting = t;
            t.start();
        }
    }

    private void reconnect() {
        long delay = FIRST_RETRY_MS;
        while (!closed && connection == null) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return; // closed
            }
            try {
                connecting.lockInterruptibly();
            } catch (InterruptedException e) {
                return; // closed
            }
            try {
                if (connection != null || closed) {
                    return; // a spawn connected meanwhile, or the session ended
                }
                state = "reconnecting";
                connect();
                return;
            } catch (SpawnException e) {
                delay = Math.min(delay * 2, MAX_RETRY_MS);
                if (!closed) {
                    state = "lost: " + e.getMessage() + "; next try in " + Durations.format(Duration.ofMillis(delay));
                }
            } finally {
                connecting.unlock();
            }
        }
    }

    @Override
    public OsProcess start(SpawnPlan plan, SpawnRequest request) throws SpawnException {
        // Never connects: a restart runs on the table's thread, which must not wait for ssh (spawn called ready first).
        if (connection == null) {
            throw new SpawnException(closed ? "the session is closing: no new job on " + procsh.text.Escape.echo(host)
                    : state.equals("not connected") ? "not connected to " + procsh.text.Escape.echo(host) : SshConnection.lostMessage(host), null);
        }
        Map<String, Object> spawn = new LinkedHashMap<>();
        spawn.put("op", "spawn");
        spawn.put("argv", request.argv());
        spawn.put("cwd", request.cwd() == null ? null : request.cwd().toString());
        spawn.put("env", request.env());
        spawn.put("unset", request.unset());
        spawn.put("stdin", request.stdin());
        spawn.put("python_unbuffered", request.pythonUnbuffered());
        if (request.hasTerminal()) {
            spawn.put("pty", true);
            spawn.put("columns", request.columns());
            spawn.put("rows", request.rows());
            spawn.put("term", request.terminalType());
        }
        spawn.put("nonce", spawns.incrementAndGet()); // names it for an abandon, should its answer not come
        spawnsInFlight.incrementAndGet();
        try {
            return RemoteProcess.start(this, plan, spawn);
        } finally {
            spawnsInFlight.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------- the protocol, for runs

    /** A request and its answer over the current connection; an {@code error} answer is an AgentError. */
    Map<String, Object> call(Map<String, Object> request) throws IOException {
        return call(request, SshConnection.CALL_TIMEOUT_S);
    }

    Map<String, Object> call(Map<String, Object> request, long timeoutSeconds) throws IOException {
        SshConnection c = connection;
        if (c == null) {
            throw new procsh.core.ConnectionLost(SshConnection.lostMessage(host));
        }
        return c.call(request, timeoutSeconds);
    }

    CompletableFuture<Map<String, Object>> request(Map<String, Object> request) {
        SshConnection c = connection;
        return c == null ? CompletableFuture.failedFuture(new procsh.core.ConnectionLost(SshConnection.lostMessage(host))) : c.request(request);
    }

    /** One {@code stats} request for all these runs; a lost host, or one that answers with an error, says nothing. */
    @Override
    public CompletableFuture<Map<RemoteRun, RemoteRun.Facts>> facts(Collection<RemoteRun> asked) {
        Map<Long, RemoteRun> byJob = new HashMap<>();
        asked.forEach(r -> {
            if (r instanceof RemoteProcess p && !p.vanished()) {
                byJob.put(p.agentJob(), p);
            }
        });
        SshConnection c = connection;
        // On the connection's reader thread the answer could never be read: as a host that does not answer.
        if (byJob.isEmpty() || c == null || c.isReaderThread()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return c.request(Map.of("op", "stats", "jobs", List.copyOf(byJob.keySet()))).thenApply(answer -> {
            Map<RemoteRun, RemoteRun.Facts> told = new HashMap<>();
            if (answer.get("jobs") instanceof List<?> jobs) {
                for (Object o : jobs) {
                    Map<?, ?> m = (Map<?, ?>) o;
                    RemoteRun run = byJob.get(((Number) m.get("job")).longValue());
                    if (run != null) {
                        told.put(run, JobFacts.read(m));
                    }
                }
            }
            return told;
        }).exceptionally(e -> Map.of());
    }

    void register(long job, RemoteProcess run) {
        // Under the lock: the reader thread's next event for this job (an end, say) must not overtake
        // the output that came before its spawn answer. Put first, so an end among them removes it.
        synchronized (early) {
            runs.put(job, run);
            List<Map<String, Object>> waiting = early.remove(job);
            if (waiting != null) {
                waiting.forEach(message -> deliver(connection, run, message));
            }
        }
    }

    /** An event from the agent, on connection {@code from}'s reader thread. */
    private void event(SshConnection from, Map<String, Object> message) {
        if (!(message.get("job") instanceof Number job)) {
            return;
        }
        RemoteProcess run;
        synchronized (early) {
            run = runs.get(job.longValue());
            if (run == null) {
                // Bounded per job and in jobs: past that it is a job whose spawn answer never came (the call timed out;
                // the agent stops it at the next hello), or an agent that is not procsh's.
                List<Map<String, Object>> waiting = early.get(job.longValue());
                if (waiting == null && early.size() < MAX_EARLY_JOBS) {
                    waiting = new ArrayList<>();
                    early.put(job.longValue(), waiting);
                }
                if (waiting != null && waiting.size() < MAX_EARLY) {
                    waiting.add(message);
                }
                return;
            }
        }
        deliver(from, run, message);
    }

    private void deliver(SshConnection from, RemoteProcess run, Map<String, Object> message) {
        Object ev = message.get("ev");
        if ("out".equals(ev)) {
            long at = message.get("at") instanceof Number n ? n.longValue() : run.received("err".equals(message.get("stream")));
            run.append("err".equals(message.get("stream")), at, Base64.getDecoder().decode((String) message.get("data")));
        } else if ("ended".equals(ev)) {
            long job = ((Number) message.get("job")).longValue();
            runs.remove(job);
            run.ended(message);
            if (from != null) {
                // On the connection it came by: after a reconnection that is not the launcher's one yet.
                from.request(Map.of("op", "forget", "job", job)); // the agent may let go of it: its answer is not needed
            }
        }
    }

    // ---------------------------------------------------------------- state

    @Override
    public String state() {
        return state;
    }

    /** Read off the connection itself, not the state's words (which also say why it is lost). */
    @Override
    public boolean reachable() {
        return connection != null;
    }

    @Override
    public long connectionPid() {
        SshConnection c = connection;
        return c == null ? -1 : c.pid();
    }

    /** Jobs running there, as this side knows. */
    public int jobs() {
        return runs.size();
    }

    /** The agent's name there (its socket, lock and log files are named after it). */
    String agentId() {
        return agentId;
    }

    /** The directory of the master connection's socket, for {@code ssh -S}. */
    public Path controlDir() {
        return controlDir;
    }

    /** An ssh command line through this host's master connection (as {@code ssh -S}), for figures and checks. */
    public List<String> sharedSsh(String... command) {
        List<String> ssh = SshConnection.sshCommand(host, controlDir);
        ssh.addAll(List.of(command));
        return ssh;
    }

    /**
     * Ends the session's use of the host: the agent is told bye (it stops what still runs there,
     * or with {@code keepJobs} leaves it running, as {@code exit --keep} does here) and ends; then
     * the master connection ends. An agent that cannot be reached stops its jobs after the linger.
     */
    @Override
    public void close(boolean keepJobs) {
        SshConnection c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            keepOnClose = keepJobs;
            c = connection;
            connection = null;
        }
        Thread t = reconnecting;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000); // a reconnection that got through says bye itself, before the master goes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (c != null) {
            sayBye(c, keepJobs);
        }
        if (controlDir != null) {
            SshConnection.endMaster(host, controlDir);
        }
        state = "closed";
    }

    @Override
    public void close() {
        close(false);
    }

    /** As if this procsh died: the connection ends with no bye and no reconnection (for tests of the agent's linger). */
    void abandon() {
        SshConnection c;
        synchronized (this) {
            closed = true;
            c = connection;
            connection = null;
        }
        if (c != null) {
            c.close();
        }
        SshConnection.endMaster(host, controlDir);
        state = "closed";
    }
}

package procsh.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import procsh.command.JsonOutput;
import procsh.core.Ending;
import procsh.core.Job;
import procsh.core.JobListener;
import procsh.core.JobOutput;
import procsh.core.JobTable;
import procsh.core.OutputChannel;
import procsh.core.ProcshException;
import procsh.core.Scope;
import procsh.core.Sender;
import procsh.core.SessionContext;
import procsh.core.SessionDirectory;
import procsh.core.SpawnRequest;
import procsh.os.Backends;
import procsh.os.Signal;

/**
 * The far end of a connection to another host: it runs jobs on its own table, so they have the
 * same semantics (groups, stops with grace and tree, the exact wait status) as local ones, and
 * sends back their output and ends. It reads requests, one JSON object a line, and writes answers
 * ({@code re}) and events ({@code ev}).
 *
 * <p>Two ways to run. {@code procsh --agent}: over stdin and stdout, ending (and stopping its
 * jobs) when its input ends. {@code procsh --agent-daemon ID}: detached, on a Unix socket that
 * {@link AgentRelay}s connect to, one client at a time; when the connection drops, the jobs go on
 * and their output waits, and a client that comes back says in its {@code hello} how much of each
 * job it has, so nothing is lost or sent twice. A client that never comes back: after the linger
 * (10 minutes unless the client said otherwise) the agent stops its jobs and ends.
 *
 * <p>Requests: {@code hello} (version, linger_ms, jobs it follows with their offsets); {@code spawn}
 * (argv, cwd, env, unset, stdin, python_unbuffered; pty with columns, rows, term: its answer says the
 * tty); {@code signal} (job, signal number, scope); {@code stop} (job, grace_ms, scope, sender);
 * {@code poll}; {@code stdin} (job, base64 data: typed, for a pty job); {@code resize} (job, columns, rows);
 * {@code close_stdin}; {@code list}; {@code stats} (jobs: state, CPU, memory, descendants, leftovers of each,
 * see {@link JobFacts}); {@code forget} (job: its end arrived); {@code bye} (keep: leave
 * the jobs running). Each carries a {@code tag} its answer repeats; a failed one is answered with
 * {@code error}, one line.
 */
public final class Agent {

    /** The protocol's version, said in hello; the two ends must agree. */
    public static final String PROTOCOL = "4";
    static final Duration DEFAULT_LINGER = Duration.ofMinutes(10);
    private static final Duration FIRST_HELLO = Duration.ofMinutes(1);
    /**
     * A client pings every {@link SshConnection#PING} (5 s); one not heard from for this long is taken
     * for gone, so the linger starts even when sshd has not noticed a dead link (its ClientAlive is off by default).
     */
    static final Duration SILENCE = Duration.ofSeconds(30);
    /** How often job output is looked at when nothing wakes the pump sooner. */
    private static final long PUMP_MS = 20;
    /** The most of one stream sent in one turn of the pump: other jobs get their turn, memory stays small. */
    private static final int PUMP_CHUNK = 64 * 1024;
    private static final int PUMP_TURN = 4 * PUMP_CHUNK;
    /** The longest request line: stdin comes in pieces of at most 256 KB, base64 makes them a third longer. */
    static final int MAX_REQUEST = 1 << 20;
    /** Variables of the connection, not of the agent's first one: each relay says its own (ssh's agent socket, say). */
    static final java.util.Set<String> CONNECTION_VARIABLES = java.util.Set.of("SSH_AUTH_SOCK", "SSH_CONNECTION", "SSH_CLIENT");

    private final JobTable table;
    /** Jobs whose output and end the client has yet to take (until it says {@code forget}). */
    private final Map<Integer, Pumped> pumped = new ConcurrentHashMap<>();
    /** Jobs the client has forgotten that left processes running: {@code stats} still answers for them. */
    private final Map<Integer, Job> leftBehind = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    /** Writes to a job's stdin may wait for it to read: never on the thread that reads requests. */
    private final ExecutorService stdinWriter = Executors.newSingleThreadExecutor(r -> daemon(r, "procsh-agent-stdin"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "procsh-agent-timer"));
    /** Whether a dropped connection leaves the jobs running for a client to come back to. */
    private final boolean detachable;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread pump;
    /** Where events go: the client that said hello last; null while none is connected. */
    private volatile Client client;
    private volatile Duration linger = DEFAULT_LINGER;
    private ScheduledFuture<?> lingering;
    private volatile boolean ending;
    /** Ending with the jobs left running: their ends will not come, so the pump does not wait for them. */
    private volatile boolean keeping;
    private Runnable onFinish = () -> { };

    private Agent(JobTable table, boolean detachable) {
        this.table = table;
        this.detachable = detachable;
        table.addListener(new JobListener() {
            @Override
            public void jobEnded(Job job) {
                wake.release();
            }
        });
        this.pump = daemon(this::pump, "procsh-agent-output");
        pump.start();
    }

    private static JobTable newTable() {
        return new JobTable(Backends.choose(), SessionDirectory.create(), SessionContext.fromProcess());
    }

    /** {@code procsh --agent}: serves the other side on stdin and stdout until they end; returns the exit status. */
    public static int run(InputStream in, OutputStream out) {
        PrintStream protocol = new PrintStream(out, false, StandardCharsets.UTF_8);
        Agent agent = new Agent(newTable(), false);
        agent.serve(agent.new Client(protocol, null), in);
        agent.awaitFinished();
        return 0;
    }

    /** {@code procsh --agent-daemon ID}: serves relays on the agent's socket until told bye or left alone too long. */
    public static int daemon(String id) {
        try (AgentSocket socket = AgentSocket.serve(id)) {
            Agent agent = new Agent(newTable(), true);
            agent.table.installShutdownHook(); // a SIGTERM to the agent stops its jobs, as procsh's own exit does
            agent.onFinish = socket::close;
            // A SIGTERM ends the JVM without finish(): its files go anyway (the table's own hook stops the jobs).
            Runtime.getRuntime().addShutdownHook(new Thread(socket::close, "procsh-agent-files"));
            agent.lingerAlone(FIRST_HELLO); // the relay that started it connects at once, or never
            agent.timer.scheduleWithFixedDelay(agent::checkSilence, 5, 5, TimeUnit.SECONDS);
            socket.accept(connection -> {
                Client c = agent.new Client(connection.out(), connection::close);
                daemon(() -> agent.serve(c, connection.in()), "procsh-agent-client").start();
            });
            agent.awaitFinished();
            return 0;
        } catch (IOException e) {
            System.err.println("procsh agent: " + e.getMessage());
            return 1;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void awaitFinished() {
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- clients

    /** One connection from the other side: where its answers go. */
    final class Client {
        private final OutputStream out;
        private final Runnable disconnect;
        private volatile boolean open = true;
        /** Set once its hello has put each job's offsets where it is: the pump sends it nothing before. */
        private volatile boolean resumed;
        /** When it last said anything: a client silent for {@link #SILENCE} is taken for gone (see {@link #checkSilence}). */
        private volatile long lastHeard = System.nanoTime();
        /** What its relay said of its ssh session (see {@link #CONNECTION_VARIABLES}). */
        private volatile Map<String, String> environment = Map.of();

        Client(OutputStream out, Runnable disconnect) {
            this.out = out;
            this.disconnect = disconnect;
        }

        void send(Map<String, Object> line) {
            byte[] bytes = (JsonOutput.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                if (!open) {
                    return;
                }
                try {
                    out.write(bytes);
                    out.flush();
                } catch (IOException e) {
                    open = false; // gone: what it missed is sent again when it comes back
                }
            }
        }

        void heard() {
            lastHeard = System.nanoTime();
        }

        void close() {
            open = false;
            if (disconnect != null) {
                disconnect.run();
            }
        }
    }

    /** Reads a client's requests until its connection ends. */
    private void serve(Client c, InputStream in) {
        try {
            ProtocolLines lines = new ProtocolLines(in, MAX_REQUEST);
            String line;
            // Not a line more once replaced: what a dead link's client left buffered must not run after a newer hello.
            while (!ending && c.open && (line = lines.next()) != null) {
                c.heard();
                if (c.open) {
                    handle(c, line);
                }
            }
        } catch (IOException e) {
            // The connection broke: as an end of input.
        } finally {
            disconnected(c);
        }
    }

    private void disconnected(Client c) {
        c.close();
        synchronized (this) {
            if (client != c && client != null) {
                return; // replaced by a newer connection, which carries on
            }
            client = null;
        }
        if (!detachable || pumped.isEmpty() && leftBehind.isEmpty()) {
            finish(false); // nothing left that anyone could come back for
        } else {
            lingerAlone(linger);
        }
    }

    /** Drops the client when it has been silent too long: its link is dead though no one closed it. */
    private void checkSilence() {
        Client c = client;
        if (c != null && System.nanoTime() - c.lastHeard > SILENCE.toNanos()) {
            c.close(); // its serve thread ends, and the linger starts
        }
    }

    /** Ends the agent unless a client says hello within {@code linger}. */
    private synchronized void lingerAlone(Duration linger) {
        if (lingering != null) {
            lingering.cancel(false);
        }
        lingering = timer.schedule(() -> {
            if (client == null) {
                finish(false);
            }
        }, linger.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void hello(Client c, Object tag, Map<String, Object> r) {
        Object version = r.get("version");
        if (version != null && !PROTOCOL.equals(String.valueOf(version))) {
            c.send(answer("hello", tag, Map.of("version", PROTOCOL, "error", "procsh there speaks protocol " + PROTOCOL + ", this one "
                    + version + ": install the same procsh version on both hosts")));
            return;
        }
        if (r.get("linger_ms") instanceof Number ms) {
            linger = Duration.ofMillis(ms.longValue());
        }
        // What the client has of each job it follows: the rest is sent again, from there.
        Map<Integer, long[]> has = new HashMap<>();
        if (r.get("jobs") instanceof List<?> jobs) {
            for (Object o : jobs) {
                Map<?, ?> j = (Map<?, ?>) o;
                has.put(((Number) j.get("job")).intValue(), new long[] {((Number) j.get("out")).longValue(), ((Number) j.get("err")).longValue()});
            }
        }
        // The new connection first: the pump sends to the current client only, so nothing goes to the old one after this.
        synchronized (this) {
            Client old = client;
            client = c;
            if (lingering != null) {
                lingering.cancel(false);
                lingering = null;
            }
            if (old != null && old != c) {
                old.close(); // wakes a pump blocked writing to it (a half-open link)
            }
        }
        List<Object> found = new ArrayList<>();
        for (Pumped p : pumped.values()) {
            long[] offsets = has.get(p.job.id());
            if (offsets != null) {
                p.resumeAt(offsets);
                found.add(p.job.id());
            } else if (p.job.hasEnded()) {
                forget(p);
            } else {
                abandon(p); // started for a client whose spawn answer was lost with the connection: nobody knows of it
            }
        }
        c.resumed = true;
        c.send(answer("hello", tag, Map.of("version", PROTOCOL, "pid", ProcessHandle.current().pid(), "found", found)));
        wake.release();
    }

    // ---------------------------------------------------------------- requests

    private void handle(Client c, String line) {
        if (line.isBlank()) {
            return;
        }
        Object tag = null;
        String op = null;
        try {
            Map<String, Object> request = JsonLine.parse(line);
            tag = request.get("tag");
            op = String.valueOf(request.get("op"));
            switch (op) {
                case "hello" -> hello(c, tag, request);
                case "spawn" -> spawn(c, tag, request);
                case "signal" -> signal(c, tag, request);
                case "stop" -> stop(c, tag, request);
                case "poll" -> c.send(answer(op, tag, Map.of("state", job(request).status())));
                case "stdin" -> writeStdin(c, tag, request);
                case "resize" -> resize(c, tag, request);
                case "close_stdin" -> {
                    table.closeStdin(job(request));
                    c.send(answer(op, tag, Map.of()));
                }
                case "list" -> list(c, tag);
                case "ping" -> c.send(answer(op, tag, Map.of()));
                case "stats" -> stats(c, tag, request);
                case "forget" -> {
                    Pumped p = pumped.get(((Number) request.get("job")).intValue());
                    if (p != null && p.job.hasEnded()) {
                        forget(p);
                    }
                    c.send(answer(op, tag, Map.of()));
                }
                case "bye" -> {
                    Object t = tag;
                    finish(Boolean.TRUE.equals(request.get("keep")), () -> c.send(answer("bye", t, Map.of())));
                }
                case "abandon" -> {
                    // A spawn whose answer did not come in time: the other side gave up on it, so it must not run on unseen.
                    Object nonce = request.get("nonce");
                    pumped.values().stream().filter(p -> nonce != null && nonce.equals(p.nonce)).forEach(this::abandon);
                    c.send(answer(op, tag, Map.of()));
                }
                case "relay" -> {
                    Map<String, String> env = new LinkedHashMap<>();
                    if (request.get("env") instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> {
                            if (CONNECTION_VARIABLES.contains(String.valueOf(k)) && v != null) {
                                env.put(String.valueOf(k), String.valueOf(v));
                            }
                        });
                    }
                    c.environment = env; // no answer: the relay does not read them
                }
                default -> throw new IllegalArgumentException("unknown op '" + op + "'");
            }
        } catch (RuntimeException e) {
            // A request this agent cannot do (or parse) is refused with one line; the connection goes on.
            c.send(answer(op, tag, Map.of("error", String.valueOf(e.getMessage()))));
        }
    }

    private void spawn(Client c, Object tag, Map<String, Object> r) {
        @SuppressWarnings("unchecked")
        List<String> argv = (List<String>) r.get("argv");
        SpawnRequest request = SpawnRequest.of(argv).stdin(Boolean.TRUE.equals(r.get("stdin")))
                .pythonUnbuffered(!Boolean.FALSE.equals(r.get("python_unbuffered")));
        if (Boolean.TRUE.equals(r.get("pty"))) {
            request.terminal(size(r.get("columns")), size(r.get("rows")), r.get("term") instanceof String term ? term : null);
        }
        Object cwd = r.get("cwd");
        if (cwd instanceof String dir && !dir.equals("~")) {
            String home = System.getProperty("user.home");
            request.cwd(Path.of(dir.startsWith("~/") ? home + dir.substring(1) : dir));
        } else if (cwd != null) {
            request.cwd(Path.of(System.getProperty("user.home")));
        }
        if (r.get("env") instanceof Map<?, ?> env) {
            env.forEach((k, v) -> request.env(String.valueOf(k), String.valueOf(v)));
        }
        if (r.get("unset") instanceof List<?> unset) {
            unset.forEach(k -> request.unset(String.valueOf(k)));
        }
        c.environment.forEach((k, v) -> {
            if (!request.env().containsKey(k) && !request.unset().contains(k)) {
                request.env(k, v);
            }
        });
        Job job = table.spawn(request);
        // Registered before the answer: a client that drops now finds it on its way back.
        pumped.put(job.id(), new Pumped(job, r.get("nonce")));
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("job", job.id());
        started.put("pid", job.pid());
        started.put("out", job.output().file(OutputChannel.STDOUT).toString());
        if (job.terminal() != null) {
            started.put("tty", job.terminal().path());
        }
        c.send(answer("spawn", tag, started));
        wake.release();
    }

    /** A size the other side asked for; 0 (or none) lets the table take its default. */
    private static int size(Object n) {
        return n instanceof Number number ? number.intValue() : 0;
    }

    /** On the stdin thread, as typing is: keys and sizes reach the terminal in the order they were sent. */
    private void resize(Client c, Object tag, Map<String, Object> r) {
        Job job = job(r);
        if (job.terminal() == null) {
            throw new IllegalArgumentException("job " + job.id() + " has no terminal");
        }
        int columns = size(r.get("columns"));
        int rows = size(r.get("rows"));
        stdinWriter.execute(() -> {
            job.terminal().resize(columns, rows);
            c.send(answer("resize", tag, Map.of()));
        });
    }

    private void signal(Client c, Object tag, Map<String, Object> r) {
        Job job = job(r);
        if (job.hasEnded()) {
            c.send(answer("signal", tag, Map.of("sent", false))); // its end is on its way to the other side
            return;
        }
        Signal signal = signal(r.get("signal"));
        table.signal(job, signal, scope(r), sender(r));
        c.send(answer("signal", tag, Map.of("sent", true)));
    }

    private void stop(Client c, Object tag, Map<String, Object> r) {
        Job job = job(r);
        Pumped p = pumped.get(job.id());
        long grace = ((Number) r.get("grace_ms")).longValue();
        table.stopAsync(job, Duration.ofMillis(grace), sender(r), scope(r)).whenComplete((report, error) -> {
            // The job's end is announced first, so the other side's report has its ending.
            // A copy waits: completing the job's own future by timeout would make later stops not wait for its end.
            CompletableFuture<Void> announced = p == null ? CompletableFuture.completedFuture(null) : p.announced.copy();
            announced.completeOnTimeout(null, 2, TimeUnit.SECONDS).thenRun(() -> {
                if (report == null) {
                    c.send(answer("stop", tag, Map.of("error", String.valueOf(error))));
                } else {
                    c.send(answer("stop", tag, Map.of("escalated", report.escalated(), "survivors", report.survivors())));
                }
            });
            wake.release();
        });
    }

    private void writeStdin(Client c, Object tag, Map<String, Object> r) {
        Job job = job(r);
        byte[] bytes = Base64.getDecoder().decode((String) r.get("data"));
        stdinWriter.execute(() -> {
            try {
                int written = job.terminal() != null ? type(job, bytes) : bytes.length;
                if (job.terminal() == null) {
                    table.send(job, bytes);
                }
                c.send(answer("stdin", tag, Map.of("written", written)));
            } catch (ProcshException | IOException e) {
                c.send(answer("stdin", tag, Map.of("error", String.valueOf(e.getMessage()))));
            }
        });
    }

    /**
     * Keys for a job's terminal: as a terminal here, what it does not take in time (or once it has
     * ended) is dropped and the count says so, for the other side to report or ignore as attach does.
     */
    private static int type(Job job, byte[] bytes) throws IOException {
        return job.hasEnded() || job.terminal().isClosed() ? 0 : job.terminal().type(bytes, 0, bytes.length);
    }

    private void list(Client c, Object tag) {
        List<Object> jobs = new ArrayList<>();
        for (Job job : table.jobs()) {
            jobs.add(Map.of("job", job.id(), "pid", job.pid(), "state", job.state().label()));
        }
        c.send(answer("list", tag, Map.of("jobs", jobs)));
    }

    /** One answer for all the jobs asked about; a job the agent no longer knows is left out. */
    private void stats(Client c, Object tag, Map<String, Object> r) {
        List<Object> jobs = new ArrayList<>();
        for (Object o : (List<?>) r.get("jobs")) {
            int id = ((Number) o).intValue();
            Job job = table.find(id).orElse(leftBehind.get(id));
            if (job != null) {
                Map<String, Object> facts = JobFacts.of(table, job);
                if (leftBehind.containsKey(id) && ((List<?>) facts.get("left")).isEmpty()) {
                    leftBehind.remove(id); // all it left has ended now
                }
                jobs.add(facts);
            }
        }
        c.send(answer("stats", tag, Map.of("jobs", jobs)));
    }

    /** A job of the table, or one forgotten that left processes running (a stop of it ends them). */
    private Job job(Map<String, Object> r) {
        int id = ((Number) r.get("job")).intValue();
        Job left = leftBehind.get(id);
        return left != null ? left : table.get(id);
    }

    private Signal signal(Object number) {
        int n = ((Number) number).intValue();
        return table.signals().byNumber(n).orElseGet(() -> new Signal(n, "SIG" + n));
    }

    private static Scope scope(Map<String, Object> r) {
        Object scope = r.get("scope");
        return scope == null ? Scope.GROUP : Scope.valueOf(String.valueOf(scope));
    }

    private static Sender sender(Map<String, Object> r) {
        Object sender = r.get("sender");
        return sender == null ? Sender.USER : Sender.valueOf(String.valueOf(sender));
    }

    private static Map<String, Object> answer(String op, Object tag, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("re", op);
        line.put("tag", tag);
        line.putAll(fields);
        return line;
    }

    /**
     * Ends the agent: stops the jobs it still runs (unless {@code keep}: then they run on, writing
     * to their files here, as jobs kept by {@code exit --keep} do), sends the last output and ends.
     */
    private void finish(boolean keep) {
        finish(keep, () -> { });
    }

    /** As {@link #finish(boolean)}; {@code lastWords} is sent before the agent ends (bye's answer). */
    private void finish(boolean keep, Runnable lastWords) {
        synchronized (this) {
            if (ending) {
                lastWords.run();
                return;
            }
            ending = true;
            keeping = keep;
        }
        table.keepJobs(keep);
        if (!keep) {
            // Forgotten jobs are off the table, but what they left running is this agent's to end.
            leftBehind.values().forEach(job -> table.stopAsync(job, table.defaultGrace(), Sender.SESSION_EXIT, Scope.TREE));
        }
        table.close();
        wake.release();
        try {
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stdinWriter.shutdownNow();
        timer.shutdownNow();
        if (!keep && table.directory().exists()) {
            deleteTree(table.directory().root()); // every byte was sent to the other end, which keeps the logs
        }
        lastWords.run();
        onFinish.run();
        finished.countDown();
    }

    // ---------------------------------------------------------------- output

    /** A job whose output and end are being sent: how far each stream has been. */
    private final class Pumped {
        final Job job;
        /** The client's name for the spawn, so it can give up on one whose answer it never got. */
        final Object nonce;
        final long[] offsets = new long[2];
        /** Completed the first time its end is sent: a stop's answer follows it. */
        final CompletableFuture<Void> announced = new CompletableFuture<>();
        volatile boolean endSent;
        /** What it left running when it ended, read once. */
        List<Object> left;

        Pumped(Job job, Object nonce) {
            this.job = job;
            this.nonce = nonce;
        }

        synchronized void resumeAt(long[] has) {
            offsets[0] = has[0];
            offsets[1] = has[1];
            endSent = false;
        }
    }

    private void forget(Pumped p) {
        if (pumped.remove(p.job.id(), p)) {
            p.job.output().followerAt(OutputChannel.STDOUT, p, -1);
            p.job.output().followerAt(OutputChannel.STDERR, p, -1);
            if (p.job.hasEnded()) {
                table.remove(p.job); // the other side has all of it
                // Kept until a scan of /proc finds nothing of it, which runs off the thread that reads requests
                // (a burst of forgets would hold it up); a stats asked meanwhile still answers for it.
                leftBehind.put(p.job.id(), p.job);
                if (!ending) {
                    timer.execute(() -> {
                        if (table.remaining(p.job).isEmpty()) {
                            leftBehind.remove(p.job.id(), p.job);
                        }
                    });
                }
            }
        }
    }

    /** Stops a job no client will follow, then forgets it. */
    private void abandon(Pumped p) {
        if (pumped.remove(p.job.id(), p)) {
            table.stopAsync(p.job, table.defaultGrace(), Sender.SESSION_EXIT, Scope.GROUP).whenComplete((x, e) -> {
                pumped.put(p.job.id(), p);
                forget(p);
            });
        }
    }

    /** Sends new output of every job; a job's end is sent once all it wrote has been. */
    private void pump() {
        while (true) {
            try {
                wake.tryAcquire(PUMP_MS, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            Client c = client;
            boolean allSent = true;
            boolean more = false;
            if (c != null && c.resumed) {
                for (Pumped p : pumped.values()) {
                    if (!p.endSent) {
                        more |= pumpOne(c, p);
                        allSent &= p.endSent;
                    }
                }
            }
            if (ending && (allSent || keeping || c == null || !c.open)) {
                return;
            }
            if (more) {
                wake.release(); // a turn's worth was sent: go on at once
            }
        }
    }

    /** One turn of a job: some of its new output, and its end once all is sent; true when more output waits. */
    private boolean pumpOne(Client c, Pumped p) {
        synchronized (p) {
            // Read before the files: whatever the job wrote is in them once its end is known.
            boolean ended = p.job.hasEnded();
            boolean more = sendSome(c, p, OutputChannel.STDOUT, 0) | sendSome(c, p, OutputChannel.STDERR, 1);
            if (ended && !more && c.open && c == client) {
                if (p.left == null) {
                    p.left = JobFacts.left(table, p.job); // once, at its end, as a local job's end report reads it
                }
                c.send(endedEvent(p.job, p.left));
                p.endSent = true;
                p.announced.complete(null);
            }
            return more;
        }
    }

    /** Sends up to a turn's worth of one stream, to {@code c} only while it is the client; true when more waits. */
    private boolean sendSome(Client c, Pumped p, OutputChannel channel, int index) {
        JobOutput output = p.job.output();
        int sent = 0;
        while (output.written(channel) > p.offsets[index]) { // a stat, where reading opens the files: most jobs are quiet
            if (sent >= PUMP_TURN) {
                return true;
            }
            // Read, then sent holding no lock of the log's: a slow link must not hold up its rotation.
            JobOutput.Chunk chunk = output.read(channel, p.offsets[index], PUMP_CHUNK);
            if (chunk.bytes().length == 0 || c != client || !c.open) {
                return false;
            }
            c.send(Map.of("ev", "out", "job", p.job.id(), "stream", index == 0 ? "out" : "err", "at", chunk.at(),
                    "data", Base64.getEncoder().encodeToString(chunk.bytes())));
            p.offsets[index] = chunk.at() + chunk.bytes().length;
            sent += chunk.bytes().length;
            // A rotation keeps what has not been sent yet (up to its limit), for a client that is away.
            output.followerAt(channel, p, p.offsets[index]);
        }
        return false;
    }

    private static Map<String, Object> endedEvent(Job job, List<Object> left) {
        Ending e = job.ending();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ev", "ended");
        line.put("job", job.id());
        line.put("left", left);
        if (e.killed()) {
            line.put("signal", e.signal().number());
            line.put("core", e.coreDumped());
            line.put("sender", e.sender() == null ? null : e.sender().name());
        } else {
            line.put("code", e.code());
            line.put("exact", e.certain());
        }
        return line;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Swept later with the other old sessions.
                }
            });
        } catch (IOException ignored) {
            // As above.
        }
    }
}

package procsh.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import procsh.command.JsonOutput;
import procsh.core.Ending;
import procsh.core.Job;
import procsh.core.JobListener;
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
 * {@code procsh --agent}: the far end of a connection to another host. It reads requests, one
 * JSON object a line, on stdin and writes answers ({@code re}) and events ({@code ev}) on stdout,
 * and runs the jobs on its own table, so they have the same semantics (groups, stops with grace
 * and tree, the exact wait status) as local ones. Each job's output is sent back in chunks, all of
 * it before the job's {@code ended} event. When stdin closes (the connection ended) it stops its jobs
 * and ends, leaving nothing behind.
 *
 * <p>Requests: {@code hello}; {@code spawn} (argv, cwd, env, unset, stdin, python_unbuffered);
 * {@code signal} (job, signal number, scope); {@code stop} (job, grace_ms, scope, sender);
 * {@code poll}; {@code stdin} (job, base64 data); {@code close_stdin}; {@code list}. Each carries a
 * {@code tag} its answer repeats; a failed one is answered with {@code error}, one line.
 */
public final class Agent {

    /** The protocol's version, said in hello; the two ends must agree. */
    public static final String PROTOCOL = "1";
    /** How often job output files are read when nothing wakes the pump sooner. */
    private static final long PUMP_MS = 20;
    private static final int CHUNK = 64 * 1024;

    private final JobTable table;
    private final PrintStream protocol;
    private final Map<Integer, Pumped> pumped = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    /** Writes to a job's stdin may wait for it to read: never on the thread that reads requests. */
    private final ExecutorService stdinWriter = Executors.newSingleThreadExecutor(r -> daemon(r, "procsh-agent-stdin"));
    private volatile boolean ending;

    private Agent(JobTable table, PrintStream protocol) {
        this.table = table;
        this.protocol = protocol;
    }

    /** Runs the agent until its input ends; returns the exit status. */
    public static int run(InputStream in, OutputStream out) {
        // Only protocol lines go to stdout: anything else printed by mistake goes to stderr instead.
        PrintStream protocol = new PrintStream(out, false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        SessionDirectory directory = SessionDirectory.create();
        JobTable table = new JobTable(Backends.choose(), directory, SessionContext.fromProcess());
        Agent agent = new Agent(table, protocol);
        table.addListener(new JobListener() {
            @Override
            public void jobEnded(Job job) {
                agent.wake.release();
            }
        });
        Thread pump = daemon(agent::pump, "procsh-agent-output");
        pump.start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                agent.handle(line);
            }
        } catch (IOException e) {
            // The connection broke: as an end of input.
        }
        agent.ending = true;
        table.close(); // stops every job still running, with the default grace
        agent.wake.release();
        try {
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agent.stdinWriter.shutdownNow();
        if (directory.exists()) {
            deleteTree(directory.root()); // every byte was sent to the other end, which keeps the logs
        }
        return 0;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void handle(String line) {
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
                case "hello" -> answer(op, tag, Map.of("version", PROTOCOL, "pid", ProcessHandle.current().pid()));
                case "spawn" -> spawn(tag, request);
                case "signal" -> signal(tag, request);
                case "stop" -> stop(tag, request);
                case "poll" -> answer(op, tag, Map.of("state", job(request).status()));
                case "stdin" -> writeStdin(tag, request);
                case "close_stdin" -> {
                    table.closeStdin(job(request));
                    answer(op, tag, Map.of());
                }
                case "list" -> list(tag);
                default -> throw new IllegalArgumentException("unknown op '" + op + "'");
            }
        } catch (ProcshException | IllegalArgumentException | ClassCastException | NullPointerException e) {
            answer(op, tag, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private void spawn(Object tag, Map<String, Object> r) {
        @SuppressWarnings("unchecked")
        List<String> argv = (List<String>) r.get("argv");
        SpawnRequest request = SpawnRequest.of(argv).stdin(Boolean.TRUE.equals(r.get("stdin")))
                .pythonUnbuffered(!Boolean.FALSE.equals(r.get("python_unbuffered")))
                // The other end caps and rotates its copy; this one is read from where it was left, so it is not rotated.
                .logMax(0);
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
        Job job = table.spawn(request);
        answer("spawn", tag, Map.of("job", job.id(), "pid", job.pid()));
        pumped.put(job.id(), new Pumped(job)); // its output and end follow its answer
        wake.release();
    }

    private void signal(Object tag, Map<String, Object> r) {
        Job job = job(r);
        if (job.hasEnded()) {
            answer("signal", tag, Map.of("sent", false)); // its end is on its way to the other side
            return;
        }
        Signal signal = signal(r.get("signal"));
        table.signal(job, signal, scope(r), sender(r));
        answer("signal", tag, Map.of("sent", true));
    }

    private void stop(Object tag, Map<String, Object> r) {
        Job job = job(r);
        Pumped p = pumped.get(job.id());
        long grace = ((Number) r.get("grace_ms")).longValue();
        table.stopAsync(job, Duration.ofMillis(grace), sender(r), scope(r)).whenComplete((report, error) -> {
            // The job's end is announced first, so the other side's report has its ending.
            CompletableFuture<Void> announced = p == null ? CompletableFuture.completedFuture(null) : p.announced;
            announced.completeOnTimeout(null, 2, TimeUnit.SECONDS).thenRun(() -> {
                if (report == null) {
                    answer("stop", tag, Map.of("error", String.valueOf(error)));
                } else {
                    answer("stop", tag, Map.of("escalated", report.escalated(), "survivors", report.survivors()));
                }
            });
            wake.release();
        });
    }

    private void writeStdin(Object tag, Map<String, Object> r) {
        Job job = job(r);
        byte[] bytes = Base64.getDecoder().decode((String) r.get("data"));
        stdinWriter.execute(() -> {
            try {
                table.send(job, new String(bytes, StandardCharsets.UTF_8));
                answer("stdin", tag, Map.of("written", bytes.length));
            } catch (ProcshException e) {
                answer("stdin", tag, Map.of("error", e.getMessage()));
            }
        });
    }

    private void list(Object tag) {
        List<Object> jobs = new ArrayList<>();
        for (Job job : table.jobs()) {
            jobs.add(Map.of("job", job.id(), "pid", job.pid(), "state", job.state().label()));
        }
        answer("list", tag, Map.of("jobs", jobs));
    }

    private Job job(Map<String, Object> r) {
        return table.get(((Number) r.get("job")).intValue());
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

    private void answer(String op, Object tag, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("re", op);
        line.put("tag", tag);
        line.putAll(fields);
        send(line);
    }

    private void send(Map<String, Object> line) {
        String text = JsonOutput.write(line);
        synchronized (protocol) {
            protocol.print(text);
            protocol.print('\n');
            protocol.flush();
        }
    }

    // ---------------------------------------------------------------- output

    /** A job whose output is being sent: how far each file has been read. */
    private static final class Pumped {
        final Job job;
        final long[] offsets = new long[2];
        final CompletableFuture<Void> announced = new CompletableFuture<>();

        Pumped(Job job) {
            this.job = job;
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
            for (Pumped p : pumped.values()) {
                // Read before the files: whatever the job wrote is in them once its end is known.
                boolean ended = p.job.hasEnded();
                sendOutput(p, OutputChannel.STDOUT, 0);
                sendOutput(p, OutputChannel.STDERR, 1);
                if (ended) {
                    pumped.remove(p.job.id());
                    send(endedEvent(p.job));
                    p.announced.complete(null);
                }
            }
            if (ending && pumped.isEmpty()) {
                return;
            }
        }
    }

    private void sendOutput(Pumped p, OutputChannel channel, int index) {
        Path file = p.job.output().file(channel);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (in.size() <= p.offsets[index]) {
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            int n;
            while ((n = in.read(buffer.clear(), p.offsets[index])) > 0) {
                p.offsets[index] += n;
                byte[] bytes = new byte[n];
                buffer.flip().get(bytes);
                send(Map.of("ev", "out", "job", p.job.id(), "stream", index == 0 ? "out" : "err",
                        "data", Base64.getEncoder().encodeToString(bytes)));
            }
        } catch (IOException e) {
            // Not there (yet): nothing to send.
        }
    }

    private static Map<String, Object> endedEvent(Job job) {
        Ending e = job.ending();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ev", "ended");
        line.put("job", job.id());
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

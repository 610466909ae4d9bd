package procsh.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import procsh.command.JsonOutput;
import procsh.os.SpawnException;
import procsh.text.Escape;

/**
 * One connection to a host: {@code ssh HOST procsh --agent} as a child of procsh, its stdin and
 * stdout carrying the agent protocol (see {@link Agent}). OpenSSH does the transport: one master
 * connection per host (ControlMaster) that other ssh commands can share, and keepalives
 * (ServerAlive*) that notice a dead link.
 */
public final class SshConnection implements AutoCloseable {

    /** The ssh client configuration ({@code ssh -F}); unset: the user's own. */
    public static final String CONFIG_PROPERTY = "procsh.ssh.config";
    public static final String CONFIG_ENV = "PROCSH_SSH_CONFIG";
    /** The command that starts procsh on the other host (a shell word or more); unset: {@code procsh}. */
    public static final String REMOTE_PROPERTY = "procsh.remote";
    public static final String REMOTE_ENV = "PROCSH_REMOTE";
    private static final long HELLO_TIMEOUT_S = 60;
    private static final long CALL_TIMEOUT_S = 30;

    private final String host;
    private final Path controlDir;
    private final Process ssh;
    private final OutputStream toAgent;
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final Map<Long, RemoteProcess> runs = new ConcurrentHashMap<>();
    /**
     * Events of a job whose spawn answer the reader has passed on but whose run is not registered
     * yet (a quick job's output and end can follow its answer at once): kept for {@link #register}.
     */
    private final Map<Long, List<Map<String, Object>>> early = new java.util.HashMap<>();
    private final AtomicLong tags = new AtomicLong();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread reader;
    private final Thread stderrReader;
    private volatile String state = "connecting";

    private SshConnection(String host, Path controlDir, Process ssh) {
        this.host = host;
        this.controlDir = controlDir;
        this.ssh = ssh;
        this.toAgent = ssh.getOutputStream();
        this.reader = new Thread(this::read, "procsh-ssh-" + host);
        this.stderrReader = new Thread(this::readStderr, "procsh-ssh-err-" + host);
        reader.setDaemon(true);
        stderrReader.setDaemon(true);
    }

    /** Connects and checks the agent answers; a failure is one line saying what is wrong and what to do. */
    public static SshConnection open(String host) throws SpawnException {
        Path controlDir;
        try {
            controlDir = Files.createTempDirectory("procsh-ssh-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new SpawnException("cannot make a directory for the ssh control socket: " + e.getMessage(), e);
        }
        List<String> command = sshCommand(host, controlDir);
        command.add(remoteProcsh() + " --agent");
        Process ssh;
        try {
            ssh = new ProcessBuilder(command).start();
        } catch (IOException e) {
            deleteQuietly(controlDir);
            throw new SpawnException("cannot run ssh to reach " + Escape.echo(host) + ": " + e.getMessage()
                    + " (install OpenSSH's client)", e);
        }
        SshConnection connection = new SshConnection(host, controlDir, ssh);
        connection.reader.start();
        connection.stderrReader.start();
        try {
            connection.call(Map.of("op", "hello"), HELLO_TIMEOUT_S);
        } catch (IOException e) {
            String why = connection.whyItFailed();
            connection.close();
            throw new SpawnException(why, e);
        }
        connection.state = "connected";
        return connection;
    }

    /** ssh with the options every use shares: the master connection, keepalives, never a prompt. */
    static List<String> sshCommand(String host, Path controlDir) {
        List<String> command = new ArrayList<>(List.of("ssh"));
        String config = setting(CONFIG_PROPERTY, CONFIG_ENV);
        if (config != null) {
            command.addAll(List.of("-F", config));
        }
        command.addAll(List.of("-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-o", "ControlMaster=auto", "-o", "ControlPath=" + controlDir + "/%C", "-o", "ControlPersist=60",
                "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3", "--", host));
        return command;
    }

    private static String remoteProcsh() {
        String remote = setting(REMOTE_PROPERTY, REMOTE_ENV);
        return remote != null ? remote : "procsh";
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** Why the agent did not answer, from ssh's exit status and what it or the remote shell said. */
    private String whyItFailed() {
        Integer status = null;
        try {
            if (ssh.waitFor(5, TimeUnit.SECONDS)) {
                status = ssh.exitValue();
            }
            stderrReader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String said;
        synchronized (stderrTail) {
            said = stderrTail.isEmpty() ? "" : stderrTail.peekLast();
        }
        String shown = Escape.echo(said.strip());
        String h = Escape.echo(host);
        if (status == null) {
            return "the procsh agent on " + h + " did not answer within " + HELLO_TIMEOUT_S + "s; `ssh " + h
                    + " procsh --version` shows what happens there";
        }
        if (status == 255) {
            return "cannot reach " + h + ": " + (shown.isEmpty() ? "ssh failed" : shown);
        }
        if (said.contains("Java") || said.contains("JAVA_HOME")) {
            return "procsh on " + h + " cannot run: " + shown;
        }
        if (status == 127 || said.contains("not found") || said.contains("No such file")) {
            return "procsh was not found on " + h + ": install it there (it needs a JDK 17+) or set " + REMOTE_ENV;
        }
        return "the procsh agent on " + h + " ended at once (status " + status + ")" + (shown.isEmpty() ? "" : ": " + shown);
    }

    public String host() {
        return host;
    }

    /** {@code connected}, {@code lost} (the link or the agent ended), or {@code closed}. */
    public String state() {
        return state;
    }

    public long pid() {
        return ssh.pid();
    }

    public int jobs() {
        return (int) runs.values().stream().filter(r -> !r.onExit().isDone()).count();
    }

    /** The path of the master connection's socket: {@code ssh -S PATH HOST ...} shares it. */
    public Path controlDir() {
        return controlDir;
    }

    void register(long job, RemoteProcess run) {
        // Under the lock, and before the run is findable: the reader thread's next event for this job
        // (an end, say) must not overtake the output that came before its spawn answer.
        synchronized (early) {
            List<Map<String, Object>> waiting = early.remove(job);
            if (waiting != null) {
                waiting.forEach(message -> deliver(run, message));
            }
            runs.put(job, run);
        }
    }

    /** Sends a request; the future completes with the answer, or fails when the connection ends. */
    CompletableFuture<Map<String, Object>> request(Map<String, Object> request) {
        long tag = tags.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(tag, answer);
        Map<String, Object> line = new LinkedHashMap<>(request);
        line.put("tag", tag);
        byte[] bytes = (JsonOutput.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (toAgent) {
                toAgent.write(bytes);
                toAgent.flush();
            }
        } catch (IOException e) {
            pending.remove(tag);
            answer.completeExceptionally(new IOException(lostMessage(), e));
        }
        if (!"connected".equals(state) && !"connecting".equals(state)) {
            // Lost meanwhile: the reader will never answer it.
            pending.remove(tag);
            answer.completeExceptionally(new IOException(lostMessage()));
        }
        return answer;
    }

    private String lostMessage() {
        return "the connection to " + Escape.echo(host) + " was lost: its jobs there cannot be reached (`hosts` shows it)";
    }

    /** A request and its answer; an {@code error} answer is an IOException with the agent's one line. */
    Map<String, Object> call(Map<String, Object> request) throws IOException {
        return call(request, CALL_TIMEOUT_S);
    }

    private Map<String, Object> call(Map<String, Object> request, long timeoutSeconds) throws IOException {
        try {
            Map<String, Object> answer = request(request).get(timeoutSeconds, TimeUnit.SECONDS);
            if (answer.get("error") != null) {
                throw new AgentError(String.valueOf(answer.get("error")));
            }
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + Escape.echo(host));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(Escape.echo(host) + " did not answer within " + timeoutSeconds + "s");
        }
    }

    /** An agent's refusal: its message is for the user as it is. */
    static final class AgentError extends IOException {
        private static final long serialVersionUID = 1L;

        AgentError(String message) {
            super(message);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(ssh.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Map<String, Object> message;
                try {
                    message = JsonLine.parse(line);
                } catch (IllegalArgumentException notProtocol) {
                    continue; // a login script's chatter before the agent started
                }
                dispatch(message);
            }
        } catch (IOException e) {
            // As the end of the stream.
        }
        if (!"closed".equals(state)) {
            state = "lost";
            // Their ends can no longer arrive: they show as unknown, not as running.
            runs.values().forEach(RemoteProcess::connectionLost);
        }
        IOException gone = new IOException(lostMessage());
        pending.values().forEach(f -> f.completeExceptionally(gone));
        pending.clear();
    }

    private void dispatch(Map<String, Object> message) {
        if (message.get("re") != null) {
            CompletableFuture<Map<String, Object>> f = message.get("tag") instanceof Number n ? pending.remove(n.longValue()) : null;
            if (f != null) {
                f.complete(message);
            }
            return;
        }
        if (!(message.get("job") instanceof Number job)) {
            return;
        }
        RemoteProcess run;
        synchronized (early) {
            run = runs.get(job.longValue());
            if (run == null) {
                early.computeIfAbsent(job.longValue(), k -> new ArrayList<>()).add(message);
                return;
            }
        }
        deliver(run, message);
    }

    private void deliver(RemoteProcess run, Map<String, Object> message) {
        Object ev = message.get("ev");
        if ("out".equals(ev)) {
            run.append("err".equals(message.get("stream")), Base64.getDecoder().decode((String) message.get("data")));
        } else if ("ended".equals(ev)) {
            runs.remove(((Number) message.get("job")).longValue());
            run.ended(message);
        }
    }

    private void readStderr() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(ssh.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > 20) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // Ended.
        }
    }

    /**
     * Ends the connection: the agent sees its input end, stops what it still runs and exits; then
     * the master connection is told to exit, so no ssh process outlives the session.
     */
    @Override
    public void close() {
        if ("closed".equals(state)) {
            return;
        }
        state = "closed";
        try {
            toAgent.close();
        } catch (IOException ignored) {
            // Already gone.
        }
        try {
            if (!ssh.waitFor(15, TimeUnit.SECONDS)) {
                ssh.destroy();
                ssh.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ssh.isAlive()) {
            ssh.destroyForcibly();
        }
        List<String> exit = sshCommand(host, controlDir);
        exit.add(exit.size() - 2, "-O");
        exit.add(exit.size() - 2, "exit");
        try {
            Process p = new ProcessBuilder(exit).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            // No master (it never started): nothing to end.
        }
        try {
            reader.join(2000);
            stderrReader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(controlDir);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // A temporary directory: swept by the system.
        }
    }
}

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
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import procsh.command.JsonOutput;
import procsh.os.SpawnException;
import procsh.text.Escape;

/**
 * One connection to a host: {@code ssh HOST procsh --agent --session ID} as a child of procsh, its
 * stdin and stdout carrying the agent protocol (see {@link Agent}) to the detached agent ID there.
 * OpenSSH does the transport: one master connection per host (ControlMaster) that other ssh
 * commands can share, and keepalives (ServerAlive*) that notice a dead link. Answers complete
 * their requests; events go to the launcher; when the link ends, the launcher is told.
 */
public final class SshConnection implements AutoCloseable {

    /** The ssh client configuration ({@code ssh -F}); unset: the user's own. */
    public static final String CONFIG_PROPERTY = "procsh.ssh.config";
    public static final String CONFIG_ENV = "PROCSH_SSH_CONFIG";
    /** The command that starts procsh on the other host (a shell word or more); unset: {@code procsh}. */
    public static final String REMOTE_PROPERTY = "procsh.remote";
    public static final String REMOTE_ENV = "PROCSH_REMOTE";
    private static final long HELLO_TIMEOUT_S = 60;
    static final long CALL_TIMEOUT_S = 30;
    /** How often the agent is pinged; no answer for four times as long ends the connection (and a reconnection starts). */
    static final java.time.Duration PING = java.time.Duration.ofSeconds(5);
    /** Milliseconds between pings instead of {@link #PING}: tests make a dead link show sooner. */
    public static final String PING_PROPERTY = "procsh.remote.ping.ms";
    /** The longest line the agent sends: output comes in pieces of 64 KB, a third longer in base64. */
    private static final int MAX_MESSAGE = 4 << 20;

    private final String host;
    private final Process ssh;
    private final OutputStream toAgent;
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final BiConsumer<SshConnection, Map<String, Object>> events;
    private final Consumer<SshConnection> onLost;
    private final AtomicLong tags = new AtomicLong();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread reader;
    private final Thread stderrReader;
    private volatile String state = "connecting";
    private Map<String, Object> helloAnswer = Map.of();

    private SshConnection(String host, Process ssh, BiConsumer<SshConnection, Map<String, Object>> events,
            Consumer<SshConnection> onLost) {
        this.host = host;
        this.events = events;
        this.onLost = onLost;
        this.ssh = ssh;
        this.toAgent = ssh.getOutputStream();
        this.reader = new Thread(this::read, "procsh-ssh-" + host);
        this.stderrReader = new Thread(this::readStderr, "procsh-ssh-err-" + host);
        reader.setDaemon(true);
        stderrReader.setDaemon(true);
    }

    /**
     * Connects to agent {@code agentId} and says {@code hello}; returns the connection and the
     * agent's answer. A failure is one line saying what is wrong and what to do.
     */
    static SshConnection open(String host, Path controlDir, String agentId, Map<String, Object> hello,
            BiConsumer<SshConnection, Map<String, Object>> events, Consumer<SshConnection> onLost) throws SpawnException {
        List<String> command = sshCommand(host, controlDir);
        command.add(remoteProcsh() + " " + AgentCommandLine.AGENT + " " + AgentCommandLine.SESSION + " " + agentId);
        Process ssh;
        try {
            ssh = new ProcessBuilder(NewSession.of(command)).start();
        } catch (IOException e) {
            throw new SpawnException("cannot run ssh to reach " + Escape.echo(host) + ": " + e.getMessage()
                    + " (install OpenSSH's client)", e);
        }
        SshConnection connection = new SshConnection(host, ssh, events, onLost);
        connection.reader.start();
        connection.stderrReader.start();
        Map<String, Object> request = new LinkedHashMap<>(hello);
        request.put("op", "hello");
        request.put("version", Agent.PROTOCOL);
        try {
            connection.helloAnswer = connection.call(request, HELLO_TIMEOUT_S);
        } catch (AgentError refused) {
            connection.close();
            throw new SpawnException("on " + Escape.echo(host) + ": " + refused.getMessage(), refused);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                connection.close();
                throw new SpawnException("interrupted: not connected to " + Escape.echo(host), e);
            }
            String why = connection.whyItFailed();
            connection.close();
            throw new SpawnException(why, e);
        }
        connection.state = "connected";
        Thread ping = new Thread(connection::ping, "procsh-ssh-ping-" + host);
        ping.setDaemon(true);
        ping.start();
        return connection;
    }

    /** What the agent said to hello: its pid, and which of the jobs named it still has. */
    Map<String, Object> helloAnswer() {
        return helloAnswer;
    }

    /** A private directory for the master connection's socket, one per host for the session. */
    static Path newControlDir() throws SpawnException {
        try {
            return Files.createTempDirectory("procsh-ssh-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new SpawnException("cannot make a directory for the ssh control socket: " + e.getMessage(), e);
        }
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

    static String setting(String property, String env) {
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
            stderrReader.join(3000); // what ssh said before it ended: the reason given to the user
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
        if (said.contains("Unknown option") && said.contains(AgentCommandLine.SESSION)) {
            return "procsh on " + h + " is an older version (it has no detached agent): install the same procsh version on both hosts";
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
            answer.completeExceptionally(new procsh.core.ConnectionLost(lostMessage(), e));
        }
        if (!"connected".equals(state) && !"connecting".equals(state)) {
            // Lost meanwhile: the reader will never answer it.
            pending.remove(tag);
            answer.completeExceptionally(new procsh.core.ConnectionLost(lostMessage()));
        }
        return answer;
    }

    /** Whether this is the thread that reads the agent's answers (which must never wait for one). */
    boolean isReaderThread() {
        return Thread.currentThread() == reader;
    }

    String lostMessage() {
        return lostMessage(host);
    }

    static String lostMessage(String host) {
        return "the connection to " + Escape.echo(host) + " was lost: procsh is reconnecting (`hosts` shows it)";
    }

    /** A request and its answer; an {@code error} answer is an IOException with the agent's one line. */
    Map<String, Object> call(Map<String, Object> request) throws IOException {
        return call(request, CALL_TIMEOUT_S);
    }

    Map<String, Object> call(Map<String, Object> request, long timeoutSeconds) throws IOException {
        CompletableFuture<Map<String, Object>> pendingAnswer = request(request);
        try {
            Map<String, Object> answer = pendingAnswer.get(timeoutSeconds, TimeUnit.SECONDS);
            if (answer.get("error") != null) {
                throw new AgentError(String.valueOf(answer.get("error")));
            }
            return answer;
        } catch (InterruptedException e) {
            pending.values().remove(pendingAnswer); // its answer, if it comes, goes nowhere
            Thread.currentThread().interrupt(); // kept: the caller tells an interrupted wait from a failed one
            throw new java.io.InterruptedIOException("interrupted while waiting for " + Escape.echo(host));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            pending.values().remove(pendingAnswer);
            throw new TimedOut(Escape.echo(host) + " did not answer within " + timeoutSeconds + "s");
        }
    }

    /** No answer in time: the request may still have been done there. */
    static final class TimedOut extends IOException {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
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
        try {
            ProtocolLines in = new ProtocolLines(ssh.getInputStream(), MAX_MESSAGE);
            String line;
            while ((line = in.next()) != null) {
                Map<String, Object> message;
                try {
                    message = JsonLine.parse(line);
                } catch (IllegalArgumentException notProtocol) {
                    continue; // a login script's chatter before the agent started
                }
                try {
                    dispatch(message);
                } catch (RuntimeException odd) {
                    // A message this side cannot use (a field missing or of another kind): skipped, the connection goes on.
                }
            }
        } catch (IOException e) {
            // As the end of the stream; a line over the bound too.
        } finally {
            ended();
        }
    }

    /**
     * Pings the agent while connected: the agent takes a silent client for gone, and an agent (or relay)
     * that answers nothing for four pings is a dead link this side would otherwise wait on for ever.
     */
    private void ping() {
        long every = Long.getLong(PING_PROPERTY, PING.toMillis());
        CompletableFuture<Map<String, Object>> last = CompletableFuture.completedFuture(Map.of());
        long sent = System.nanoTime();
        while ("connected".equals(state)) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            if (!last.isDone() && System.nanoTime() - sent > TimeUnit.MILLISECONDS.toNanos(4 * every)) {
                ssh.destroyForcibly(); // the reader sees the end: lost, then reconnected
                return;
            }
            if (last.isDone()) {
                last = request(Map.of("op", "ping"));
                sent = System.nanoTime();
            }
        }
    }

    private void ended() {
        boolean wasConnected = "connected".equals(state);
        boolean lost = !"closed".equals(state);
        if (lost) {
            state = "lost";
        }
        if (wasConnected) {
            ssh.destroy(); // what is left of it (a line over the bound ends the reading, not ssh) is of no use now
        }
        IOException gone = new procsh.core.ConnectionLost(lostMessage());
        pending.values().forEach(f -> f.completeExceptionally(gone));
        pending.clear();
        if (lost) {
            onLost.accept(this);
        }
    }

    private void dispatch(Map<String, Object> message) {
        if (message.get("re") != null) {
            CompletableFuture<Map<String, Object>> f = message.get("tag") instanceof Number n ? pending.remove(n.longValue()) : null;
            if (f != null) {
                f.complete(message);
            }
            return;
        }
        events.accept(this, message);
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

    /** Ends this connection's ssh; the agent there carries on, as after a dropped link, unless told bye first. */
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
        try {
            reader.join(2000);
            stderrReader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tells the host's master connection to exit (ControlPersist would keep it a minute), then removes its directory. */
    static void endMaster(String host, Path controlDir) {
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
        deleteQuietly(controlDir);
    }

    static void deleteQuietly(Path dir) {
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

package procsh.remote;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import procsh.core.RemoteRun;
import procsh.core.Scope;
import procsh.core.Sender;
import procsh.os.ExitStatus;
import procsh.os.Signal;
import procsh.os.SpawnException;
import procsh.os.SpawnPlan;

/**
 * A job's run on another host, as the table sees it: the remote PID, an end completed by the
 * agent's {@code ended} event with the wait status the agent saw there (exact), signals and stops
 * sent to the agent, and the output it sends appended to the job's local files, so logs, caps and
 * rotation work as for a local job.
 */
final class RemoteProcess implements RemoteRun {

    private final SshLauncher launcher;
    private final long job;
    private final long pid;
    private final boolean stdinPipe;
    private volatile boolean stdinOpen;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final OutputStream out;
    private final OutputStream err;
    /** Bytes of stdout and stderr received, so far: where a reconnection asks the agent to go on from. */
    private final long[] received = new long[2];
    private static final long KEYS_TIMEOUT_S = 2;
    private final String remoteLog;
    private volatile Sender endSender;
    private volatile List<procsh.os.ProcStat> leftAtEnd = List.of();
    private volatile boolean lost;
    private volatile boolean vanished;
    /** Its terminal there (spawn --pty), else null. */
    private final RemoteTerminal terminal;

    private RemoteProcess(SshLauncher launcher, long job, long pid, boolean stdinPipe, OutputStream out, OutputStream err, String remoteLog,
                          Map<String, Object> request, Object tty) {
        this.launcher = launcher;
        this.remoteLog = remoteLog;
        this.job = job;
        this.pid = pid;
        this.stdinPipe = stdinPipe;
        this.stdinOpen = stdinPipe;
        this.out = out;
        this.err = err;
        this.terminal = tty instanceof String path
                ? new RemoteTerminal(this, path, ((Number) request.get("columns")).intValue(), ((Number) request.get("rows")).intValue())
                : null;
    }

    /** Asks the agent to start the run, having made its local output files first (as a local spawn would). */
    static RemoteProcess start(SshLauncher launcher, SpawnPlan plan, Map<String, Object> request) throws SpawnException {
        OutputStream out = null;
        OutputStream err = null;
        try {
            out = open(plan, plan.stdout());
            err = open(plan, plan.stderr());
            Map<String, Object> answer;
            try {
                answer = launcher.call(request);
            } catch (SshConnection.TimedOut | InterruptedIOException e) {
                // It may have started there all the same: the agent is told to stop it rather than run it unseen.
                launcher.request(Map.of("op", "abandon", "nonce", request.get("nonce")));
                throw e;
            }
            long job = ((Number) answer.get("job")).longValue();
            RemoteProcess run = new RemoteProcess(launcher, job, ((Number) answer.get("pid")).longValue(), plan.stdinPipe(), out, err,
                    answer.get("out") instanceof String log ? log : null, request, answer.get("tty"));
            launcher.register(job, run);
            return run;
        } catch (IOException e) {
            closeQuietly(out);
            closeQuietly(err);
            String where = procsh.text.Escape.echo(launcher.host());
            throw new SpawnException(e instanceof SshConnection.AgentError ? "on " + where + ": " + e.getMessage() : e.getMessage(), e);
        }
    }

    /** As the backends: a file procsh creates (0600, never through a symlink), appended to by a restart's run. */
    private static OutputStream open(SpawnPlan plan, Path file) throws IOException {
        Set<OpenOption> options = plan.appendOutputs()
                ? Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)
                : Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        return Channels.newOutputStream(Files.newByteChannel(Path.of(plan.reach(file)), options,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
    }

    /**
     * Output the agent sent, from offset {@code at} of the stream: appended where the job's logs are
     * read from. A part this side has already (sent again after a reconnection) is skipped.
     */
    synchronized void append(boolean stderr, long at, byte[] bytes) {
        int i = stderr ? 1 : 0;
        int skip = (int) Math.min(bytes.length, Math.max(0, received[i] - at));
        try {
            (stderr ? err : out).write(bytes, skip, bytes.length - skip);
        } catch (IOException e) {
            // The disk is full or the file was removed: the job goes on; its log misses this part.
        }
        if (terminal != null && !stderr && skip < bytes.length) {
            terminal.arrived(skip == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
        }
        received[i] = Math.max(received[i], at + bytes.length);
    }

    synchronized long received(boolean stderr) {
        return received[stderr ? 1 : 0];
    }

    void ended(Map<String, Object> event) {
        leftAtEnd = JobFacts.left(event.get("left"));
        closeQuietly(out);
        closeQuietly(err);
        stdinOpen = false;
        ExitStatus status;
        if (event.get("signal") instanceof Number signal) {
            Object sender = event.get("sender");
            endSender = sender == null ? null : Sender.valueOf(String.valueOf(sender));
            status = ExitStatus.killed(signal.intValue(), Boolean.TRUE.equals(event.get("core")));
        } else {
            int code = ((Number) event.get("code")).intValue();
            status = Boolean.FALSE.equals(event.get("exact")) ? ExitStatus.shellStyle(code) : ExitStatus.exited(code);
        }
        exit.complete(status);
    }

    private static void closeQuietly(OutputStream s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Nothing more will be written.
            }
        }
    }

    @Override
    public String host() {
        return launcher.host();
    }

    @Override
    public String remoteLog() {
        return remoteLog;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return exit;
    }

    @Override
    public boolean reaped() {
        return exit.isDone();
    }

    /**
     * Asks the agent, waiting up to {@link RemoteRun#FACTS_TIMEOUT}; ended only once its end has
     * arrived. No answer reads as running (a lost run shows as unknown through {@link #lost()}).
     */
    @Override
    public Activity poll() {
        if (exit.isDone()) {
            return Activity.ENDED;
        }
        Facts told = launcher.facts(List.of(this)).completeOnTimeout(Map.of(), FACTS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .join().get(this);
        Activity now = told == null ? null : told.activity();
        return exit.isDone() ? Activity.ENDED : now == null ? Activity.RUNNING : now;
    }

    @Override
    public procsh.core.JobTerminal terminal(procsh.core.JobOutput output) {
        if (terminal != null) {
            terminal.showFrom(output);
        }
        return terminal;
    }

    /** Asks the agent to set the size of the run's terminal there; its answer is not waited for. */
    void resize(int columns, int rows) {
        launcher.request(Map.of("op", "resize", "job", job, "columns", columns, "rows", rows));
    }

    /** The job's id on the agent's table. */
    long agentJob() {
        return job;
    }

    @Override
    public boolean signal(Signal signal) throws IOException {
        return signal(signal, Scope.PROCESS);
    }

    @Override
    public boolean signal(Signal signal, Scope scope) throws IOException {
        if (exit.isDone()) {
            return false;
        }
        checkReachable();
        Map<String, Object> answer = launcher.call(Map.of("op", "signal", "job", job, "signal", signal.number(), "scope", scope.name()));
        return Boolean.TRUE.equals(answer.get("sent"));
    }

    @Override
    public CompletableFuture<Outcome> stop(Duration grace, Scope scope, Sender initiator) {
        if (vanished) {
            return CompletableFuture.failedFuture(new IOException(vanishedMessage()));
        }
        return launcher.request(Map.of("op", "stop", "job", job, "grace_ms", grace.toMillis(), "scope", scope.name(),
                "sender", initiator.name())).thenApply(answer -> {
                    List<Long> survivors = new ArrayList<>();
                    if (answer.get("survivors") instanceof List<?> list) {
                        list.forEach(p -> survivors.add(((Number) p).longValue()));
                    }
                    return new Outcome(Boolean.TRUE.equals(answer.get("escalated")), survivors);
                });
    }

    /** The connection ended before this run's end arrived. */
    void connectionLost() {
        lost = !exit.isDone();
    }

    /** A new connection found it running there (or ended, its end on its way). */
    void reachable() {
        lost = false;
    }

    /** The new connection is the launcher's now: what was lost with the old one is sent again. */
    void reconnected() {
        if (terminal != null) {
            terminal.sizeAgain(); // a resize made while the link was down never arrived
        }
    }

    /** A new connection found no agent that knows it: how it ended will never be known. */
    void markVanished() {
        vanished = true;
        lost = true;
        if (terminal != null) {
            terminal.hostGone();
        }
        stdinOpen = false;
        closeQuietly(out);
        closeQuietly(err);
    }

    private void checkReachable() throws IOException {
        if (vanished) {
            throw new IOException(vanishedMessage());
        }
    }

    private String vanishedMessage() {
        return "its agent on " + procsh.text.Escape.echo(launcher.host()) + " ended while procsh was away: how the job ended is unknown (rm forgets it)";
    }

    @Override
    public boolean vanished() {
        return vanished;
    }

    @Override
    public boolean lost() {
        return lost && !exit.isDone();
    }

    @Override
    public List<procsh.os.ProcStat> leftAtEnd() {
        return leftAtEnd;
    }

    @Override
    public Sender endSender() {
        return endSender;
    }

    @Override
    public boolean hasStdin() {
        return stdinPipe && stdinOpen;
    }

    @Override
    public int writeStdin(byte[] bytes, long stallNanos) throws IOException {
        checkReachable();
        Map<String, Object> answer = launcher.call(Map.of("op", "stdin", "job", job, "data", Base64.getEncoder().encodeToString(bytes)));
        return ((Number) answer.get("written")).intValue();
    }

    /**
     * Keys for its terminal, waited for briefly: a console must not hang on a link that died unseen
     * (the ping notices within seconds). No answer in time counts as none taken, as at a full tty.
     */
    int type(byte[] bytes) throws IOException {
        checkReachable();
        try {
            Map<String, Object> answer = launcher.call(Map.of("op", "stdin", "job", job, "data", Base64.getEncoder().encodeToString(bytes)),
                    KEYS_TIMEOUT_S);
            return ((Number) answer.get("written")).intValue();
        } catch (SshConnection.TimedOut slow) {
            return 0;
        }
    }

    @Override
    public void closeStdin() throws IOException {
        checkReachable();
        launcher.call(Map.of("op", "close_stdin", "job", job));
        stdinOpen = false;
    }
}

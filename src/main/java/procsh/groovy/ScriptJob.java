package procsh.groovy;

import groovy.lang.Closure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import procsh.core.Durations;
import procsh.core.Ending;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.OutputChannel;
import procsh.core.ProcshException;
import procsh.core.Scope;
import procsh.core.Sender;
import procsh.core.WaitResult;
import procsh.os.ProcFs;
import procsh.os.ProcStat;
import procsh.os.Signal;

/**
 * A job as scripts see it: Python's Popen vocabulary ({@code poll()}, {@code waitFor()},
 * {@code terminate()}, {@code kill()}, {@code returncode}) over the session's {@link JobTable},
 * which does all the work. Durations are {@code '5s'}, {@code 500} (milliseconds) or a
 * {@link Duration}; signals a name ({@code 'USR1'}, {@code 'SIGUSR1'}) or a number.
 */
public final class ScriptJob {

    private final Job job;
    private final ScriptContext context;
    /** Completes when every onExit closure registered so far has run. */
    private CompletableFuture<Void> callbacks = CompletableFuture.completedFuture(null);

    ScriptJob(Job job, ScriptContext context) {
        this.job = job;
        this.context = context;
    }

    private JobTable table() {
        return context.table();
    }

    public int getId() {
        return job.id();
    }

    /** The name given at spawn, or null. */
    public String getName() {
        return job.name();
    }

    /** The host it runs on (spawn(host: ...)), or null on this machine. */
    public String getHost() {
        return job.host();
    }

    public long getPid() {
        return job.pid();
    }

    /** The command as one line. */
    public String getCommand() {
        return job.commandLine();
    }

    public List<String> getArgv() {
        return job.argv();
    }

    /** {@code running}, {@code stopped}, {@code stopping}, {@code exited} or {@code killed}. */
    public String getState() {
        return job.state().label();
    }

    public boolean isAlive() {
        return job.isAlive();
    }

    /** Answers at once: {@code running} (or stopped/stopping), or how the job ended, e.g. {@code exited 3}. */
    public String poll() {
        return table().poll(job);
    }

    /** Waits for the job to end and for its onExit closures to have run; returns the job. */
    public ScriptJob waitFor() throws InterruptedException {
        table().waitFor(job, null);
        context.collected(job);
        awaitCallbacks(null);
        return this;
    }

    /**
     * Waits up to {@code timeout}: true when the job ended (and its onExit closures ran), false
     * when the time ran out, the process untouched (like {@code Process.waitFor(long, TimeUnit)}).
     */
    public boolean waitFor(Object timeout) throws InterruptedException {
        Duration limit = Durations.of(timeout);
        long deadline = System.nanoTime() + limit.toNanos();
        WaitResult result = table().waitFor(job, limit);
        if (result.timedOut() && job.isAlive()) {
            return false;
        }
        context.collected(job);
        awaitCallbacks(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return true;
    }

    /** SIGTERM to the job's process group, as Python's terminate() (the group, so no child is orphaned). */
    public void terminate() {
        table().terminate(job);
    }

    /** SIGKILL to the job's process group, as Python's kill(). */
    public void kill() {
        table().kill(job);
    }

    /** A signal to the job's process group: {@code kill('USR1')}, {@code kill(10)}; {@code signal(sig, 'process')} for the leader alone. */
    public void kill(Object signal) {
        signal(signal, Scope.GROUP);
    }

    /** The same as {@link #kill(Object)}: a signal to the job's process group. */
    public void signal(Object signal) {
        signal(signal, Scope.GROUP);
    }

    /** A signal to {@code 'process'}, its {@code 'group'}, or its whole {@code 'tree'} (escaped descendants too). */
    public void signal(Object signal, Object scope) {
        table().signal(job, parseSignal(signal), parseScope(scope), Sender.USER);
    }

    private Signal parseSignal(Object signal) {
        if (signal instanceof Signal s) {
            return s;
        }
        if (signal instanceof Number n) {
            return table().signal(Long.toString(n.longValue()));
        }
        return table().signal(String.valueOf(signal));
    }

    private static Scope parseScope(Object scope) {
        if (scope instanceof Scope s) {
            return s;
        }
        String name = String.valueOf(scope).strip().toUpperCase(Locale.ROOT);
        for (Scope s : Scope.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new ProcshException("unknown signal scope '" + scope + "': use 'process', 'group' or 'tree'");
    }

    /** SIGTERM to the job's group, the table's default grace, then SIGKILL; waits and reports. */
    public StopResult stop() {
        return new StopResult(table().stop(job), this);
    }

    /** As {@link #stop()}, with this grace period before SIGKILL. */
    public StopResult stop(Object grace) {
        return new StopResult(table().stop(job, Durations.of(grace)), this);
    }

    /** Runs the same command again (stopping this one first if it still runs); returns the new job. */
    public ScriptJob restart() {
        return context.wrap(table().restart(job));
    }

    /** The exit code, or null while running or when a signal killed it. */
    public Integer getExitCode() {
        Ending e = job.ending();
        return e == null ? null : e.exitCode();
    }

    /** The name of the signal that killed the job ({@code SIGKILL}), or null. */
    public String getSignal() {
        Ending e = job.ending();
        return e != null && e.killed() ? e.signal().name() : null;
    }

    /** Python's returncode: null while running, the exit code, or minus the signal number. */
    public Integer getReturncode() {
        Ending e = job.ending();
        return e == null ? null : e.returncode();
    }

    /** What bash's {@code $?} would say (128 + N for signal N), or null while running: fit for {@code exit(...)}. */
    public Integer getShellStatus() {
        Ending e = job.ending();
        return e == null ? null : e.shellStatus();
    }

    /** True once the spawn's {@code timeout} has fired at this job. */
    public boolean isTimedOut() {
        return job.signals().stream().anyMatch(r -> r.sender() == Sender.TIMEOUT);
    }

    public Duration getRunTime() {
        return job.runTime();
    }

    /** How often its restart policy started it again. */
    public int getRestarts() {
        return job.restarts();
    }

    /** The last {@code n} lines of stdout: any size of log. */
    public List<String> tail(int n) {
        return job.output().tail(OutputChannel.STDOUT, n);
    }

    /** The last {@code n} lines of stderr. */
    public List<String> tailStderr(int n) {
        return job.output().tail(OutputChannel.STDERR, n);
    }

    /** Every kept line of stdout in turn, read in chunks: any size of log. */
    public void eachLine(groovy.lang.Closure<?> action) {
        job.output().eachLine(OutputChannel.STDOUT, action::call);
    }

    /** Every kept line of stderr in turn. */
    public void eachStderrLine(groovy.lang.Closure<?> action) {
        job.output().eachLine(OutputChannel.STDERR, action::call);
    }

    /** The job's whole stdout so far (its kept part: the rotated file, then the live one); refused past 16 MB, where tail(n) or eachLine { } serve. */
    public String getStdout() {
        return job.output().text(OutputChannel.STDOUT);
    }

    public String getStderr() {
        return job.output().text(OutputChannel.STDERR);
    }

    public List<String> getStdoutLines() {
        return job.output().lines(OutputChannel.STDOUT);
    }

    public List<String> getStderrLines() {
        return job.output().lines(OutputChannel.STDERR);
    }

    /** Writes text to the job's stdin (spawned with {@code stdin: true}); add the newline yourself. */
    public void send(Object text) {
        table().send(job, String.valueOf(text));
    }

    public void closeStdin() {
        table().closeStdin(job);
    }

    /**
     * The live processes of the job's tree, its own process excluded: descendants by parent, and
     * members of its process group (which outlive the job's own process).
     */
    public List<ProcStat> getChildren() {
        if (job.host() != null) {
            // Its PIDs are another machine's: its agent says what its tree holds there.
            return job.live().map(live -> live.descendants()).orElse(List.of());
        }
        List<ProcStat> scan = ProcFs.all();
        Map<Long, ProcStat> found = new LinkedHashMap<>();
        if (job.isAlive()) {
            ProcFs.descendantsIn(job.pid(), scan).forEach(s -> found.putIfAbsent(s.pid(), s));
        }
        if (table().backend().ownSession()) {
            scan.stream().filter(s -> s.pgrp() == job.pid() && s.pid() != job.pid() && !s.zombie())
                    .forEach(s -> found.putIfAbsent(s.pid(), s));
        }
        return new ArrayList<>(found.values());
    }

    /**
     * Runs {@code action} (given this job, if it takes an argument) once the job has ended, on the
     * session's callback thread; at once if it already has. Returns the job, for chaining.
     */
    public ScriptJob onExit(Closure<?> action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            callbacks = CompletableFuture.allOf(callbacks, done);
        }
        job.whenEnded().whenComplete((ending, failure) ->
                context.runCallback(() -> call(action), () -> done.complete(null)));
        return this;
    }

    private void call(Closure<?> action) {
        try {
            if (action.getMaximumNumberOfParameters() == 0) {
                action.call();
            } else {
                action.call(this);
            }
        } catch (Throwable t) {
            context.callbackFailed(this, t);
        }
    }

    /** Waits for the onExit closures registered so far, unless called from one of them. */
    void awaitCallbacks(Duration limit) throws InterruptedException {
        if (context.onCallbackThread()) {
            return;
        }
        CompletableFuture<Void> pending;
        synchronized (this) {
            pending = callbacks;
        }
        try {
            if (limit == null) {
                pending.get();
            } else {
                pending.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException | ExecutionException slowOrDropped) {
            // The job has ended; a closure still running is no reason to say otherwise.
        }
    }

    /** The core job, for what this object does not cover. */
    public Job getJob() {
        return job;
    }

    @Override
    public String toString() {
        return "[" + job.id() + "]" + (job.name() != null ? " " + job.name() : "") + " " + job.pid() + " "
                + job.commandLine() + " (" + job.status() + ")";
    }
}

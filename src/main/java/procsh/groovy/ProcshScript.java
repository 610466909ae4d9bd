package procsh.groovy;

import groovy.lang.Binding;
import groovy.lang.Script;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.runtime.DefaultGroovyMethods;
import org.codehaus.groovy.runtime.FormatHelper;
import procsh.core.Durations;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.ProcshException;
import procsh.core.SpawnRequest;
import procsh.core.WaitResult;

/**
 * The base class of every procsh script and prompt input: its public methods are the top-level
 * functions ({@code spawn}, {@code waitAll}, {@code sh}, {@code exit} ...). The binding holds
 * {@code jobs} and {@code args}; {@code out} and {@code err} are the writers of the evaluation.
 */
public abstract class ProcshScript extends Script {

    protected ProcshScript() {
    }

    protected ProcshScript(Binding binding) {
        super(binding);
    }

    private ScriptContext context() {
        if (getBinding() instanceof SessionBinding session) {
            return session.context();
        }
        throw new IllegalStateException("a procsh script must run in a procsh session");
    }

    private JobTable table() {
        return context().table();
    }

    /** {@code spawn('sleep', '30')}, {@code spawn(['sleep', '30'])}: starts a job. */
    public ScriptJob spawn(Object... command) {
        return spawn(Map.of(), command);
    }

    /**
     * {@code spawn(cwd: '/tmp', env: [A: '1'], name: 'w1', stdin: true, timeout: '10s', 'cmd', 'arg')};
     * also {@code grace} (of the timeout's stop), {@code shell: true} (run one line through sh -c).
     */
    public ScriptJob spawn(Map<?, ?> options, Object... command) {
        SpawnRequest request = SpawnOptions.request(options, command);
        try {
            return context().wrap(table().spawn(request));
        } catch (ProcshException e) {
            throw new ProcshException(e.getMessage() + SpawnOptions.hint(request), e);
        }
    }

    /**
     * Waits for every running job to end; returns the ended jobs no wait has returned yet (those
     * that ended before the call too), in the order they ended, their onExit closures run.
     */
    public List<ScriptJob> waitAll() throws InterruptedException {
        table().waitAll(null);
        List<ScriptJob> ended = new ArrayList<>();
        for (Job job : context().uncollected()) {
            ended.add(collect(job, null));
        }
        return ended;
    }

    /** Waits up to {@code timeout} for every running job: true if all ended, false if the time ran out. */
    public boolean waitAll(Object timeout) throws InterruptedException {
        Duration limit = Durations.of(timeout);
        long deadline = System.nanoTime() + limit.toNanos();
        WaitResult result = table().waitAll(limit);
        for (Job job : result.ended()) {
            context().wrap(job).awaitCallbacks(remaining(deadline));
        }
        return result.running().isEmpty();
    }

    /**
     * Returns an ended job no wait has returned yet: the first to have ended, else the next
     * running job to end (like bash's {@code wait -n}); null when there is none.
     */
    public ScriptJob waitAny() throws InterruptedException {
        return next(null);
    }

    /** As {@link #waitAny()}, giving up after {@code timeout}: null when the time ran out. */
    public ScriptJob waitAny(Object timeout) throws InterruptedException {
        return next(Durations.of(timeout));
    }

    private ScriptJob next(Duration limit) throws InterruptedException {
        Long deadline = limit == null ? null : System.nanoTime() + limit.toNanos();
        List<Job> ready = context().uncollected();
        if (ready.isEmpty()) {
            List<Job> running = table().running();
            if (running.isEmpty()) {
                return null;
            }
            table().waitFor(running, limit, true);
            ready = context().uncollected();
        }
        return ready.isEmpty() ? null : collect(ready.get(0), deadline);
    }

    private ScriptJob collect(Job job, Long deadline) throws InterruptedException {
        context().collected(job);
        ScriptJob j = context().wrap(job);
        j.awaitCallbacks(deadline == null ? null : remaining(deadline));
        return j;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** Runs a console command line, e.g. {@code sh 'kill 2 -9'}; returns its exit status. */
    public int sh(Object line) throws InterruptedException {
        ScriptContext context = context();
        return context.commands().run(String.valueOf(line), context.out(), context.err());
    }

    /** Ends a saved script with status 0. */
    public void exit() {
        exit(0);
    }

    /** Ends a saved script with this status (from a sourced file: ends that file). */
    public void exit(int status) {
        throw new ScriptExit(status);
    }

    /** Asks that the jobs keep running after the script (and the session) ends. */
    public void keepJobs() {
        keepJobs(true);
    }

    public void keepJobs(boolean keep) {
        table().keepJobs(keep);
    }

    /** Sleeps {@code 500} (milliseconds), {@code '2s'}, or a Duration; unlike Groovy's own sleep, Ctrl-C ends it. */
    public void sleep(long millis) throws InterruptedException {
        Thread.sleep(Math.max(0, millis));
    }

    public void sleep(Object duration) throws InterruptedException {
        Thread.sleep(Math.max(0, Durations.of(duration).toMillis()));
    }

    /** Where this script's print and println go: the console, or the runner's stdout. */
    public PrintWriter getOut() {
        return context().out();
    }

    /** For a script's own error messages: the console's, or the runner's stderr. */
    public PrintWriter getErr() {
        return context().err();
    }

    @Override
    public void print(Object value) {
        write(FormatHelper.toString(value));
    }

    @Override
    public void println() {
        write(System.lineSeparator());
    }

    @Override
    public void println(Object value) {
        write(FormatHelper.toString(value) + System.lineSeparator());
    }

    @Override
    public void printf(String format, Object value) {
        write(DefaultGroovyMethods.sprintf(this, format, value));
    }

    @Override
    public void printf(String format, Object[] values) {
        write(DefaultGroovyMethods.sprintf(this, format, values));
    }

    /** Flushed at once: onExit closures print while the console waits for input. */
    private void write(String text) {
        PrintWriter out = getOut();
        out.print(text);
        out.flush();
    }
}

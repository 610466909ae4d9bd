package procsh.groovy;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import procsh.command.CommandRunner;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.ProcshException;

/**
 * What the script API objects share within one Groovy session: the table, the console's
 * commands, the writers of the evaluation under way, and the thread that runs onExit closures.
 */
final class ScriptContext implements AutoCloseable {

    private static final String CALLBACK_THREAD = "procsh-groovy-onexit";

    private final JobTable table;
    private final ScriptJobs jobs;
    private final Map<Job, ScriptJob> wrappers = new ConcurrentHashMap<>();
    /** Ids of the ended jobs a wait has returned: waitAny and waitAll return each ended job once. */
    private final Set<Integer> collected = ConcurrentHashMap.newKeySet();
    private final Function<Throwable, String> describeError;
    private volatile CommandRunner commands;
    private volatile PrintWriter out = new PrintWriter(System.out, true);
    private volatile PrintWriter err = new PrintWriter(System.err, true);
    private ThreadPoolExecutor callbacks;
    private volatile Thread callbackThread;
    private boolean closed;

    ScriptContext(JobTable table, Function<Throwable, String> describeError) {
        this.table = table;
        this.describeError = describeError;
        this.jobs = new ScriptJobs(this);
    }

    JobTable table() {
        return table;
    }

    ScriptJobs jobs() {
        return jobs;
    }

    /** The one wrapper of a job, so onExit closures registered through any of them are found by every wait. */
    ScriptJob wrap(Job job) {
        return wrappers.computeIfAbsent(job, j -> new ScriptJob(j, this));
    }

    /** Marks an ended job as returned by a wait. */
    void collected(Job job) {
        collected.add(job.id());
    }

    /** Ended jobs no wait has returned yet, in the order they ended. */
    List<Job> uncollected() {
        return table.ended().stream().filter(j -> !collected.contains(j.id()))
                .sorted(Comparator.comparing(Job::endedAt)).toList();
    }

    void commands(CommandRunner runner) {
        this.commands = runner;
    }

    CommandRunner commands() {
        CommandRunner runner = commands;
        if (runner == null) {
            throw new ProcshException("sh: console commands are not available here");
        }
        return runner;
    }

    void writers(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /**
     * Queues an onExit closure on the session's callback thread (never the table's timer). A
     * session already closed drops it; {@code done} completes either way, so no wait hangs on it.
     */
    void runCallback(Runnable action, Runnable done) {
        ExecutorService executor;
        synchronized (this) {
            if (closed) {
                done.run();
                return;
            }
            if (callbacks == null) {
                callbacks = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, CALLBACK_THREAD);
                    t.setDaemon(true);
                    callbackThread = t;
                    return t;
                });
            }
            executor = callbacks;
        }
        try {
            executor.execute(() -> {
                try {
                    action.run();
                } finally {
                    done.run();
                }
            });
        } catch (RejectedExecutionException closing) {
            done.run();
        }
    }

    /** True on the callback thread, where waiting for callbacks would wait for itself. */
    boolean onCallbackThread() {
        return Thread.currentThread() == callbackThread;
    }

    /** One line on the session's error writer for a closure that failed where nobody could catch it. */
    void callbackFailed(ScriptJob job, Throwable failure) {
        PrintWriter w = err;
        w.println("onExit of job " + job.getId() + ": " + describeError.apply(failure));
        w.flush();
    }

    /** Lets queued onExit closures finish (briefly), then stops the callback thread. */
    @Override
    public void close() {
        ThreadPoolExecutor executor;
        synchronized (this) {
            closed = true;
            executor = callbacks;
        }
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

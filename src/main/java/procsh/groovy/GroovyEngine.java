package procsh.groovy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import procsh.command.CommandRunner;
import procsh.core.JobTable;
import procsh.core.ProcshException;

/**
 * Groovy at the prompt and in scripts, over the session's {@link JobTable}. Cheap to create:
 * nothing of Groovy is loaded until the first evaluation, completion or completeness check.
 * Evaluations run one at a time on the engine's own thread, so {@link #interrupt()} (Ctrl-C)
 * can stop them, {@code while (true) {}} included, and the session's variables survive.
 */
public final class GroovyEngine implements AutoCloseable {

    private static final String EVAL_THREAD = "procsh-groovy-eval";
    /** Groovy's call chains are deep; give scripts room to recurse. */
    private static final long EVAL_STACK_BYTES = 16L << 20;

    private final JobTable table;
    private final Object lock = new Object();
    private GroovySession session;
    private CommandRunner commands;
    private ThreadPoolExecutor evaluator;
    private volatile Thread evaluatorThread;
    /** The thread of the evaluation under way, to interrupt; null between evaluations. */
    private Thread running;
    private boolean closed;

    public GroovyEngine(JobTable table) {
        this.table = table;
    }

    /** The console's commands, reached from scripts by {@code sh('kill 2 -9')}. */
    public void commands(CommandRunner runner) {
        synchronized (lock) {
            commands = runner;
            if (session != null) {
                session.context().commands(runner);
            }
        }
    }

    /**
     * Evaluates Groovy input in the session; {@code println} goes to {@code out}, onExit and
     * command errors to {@code err}. Returns the value of the last expression.
     *
     * @throws ScriptError          it did not compile or it threw: the message says where and what
     * @throws InterruptedException {@link #interrupt()} stopped it (or the caller was interrupted)
     * @throws ScriptExit           it called {@code exit(n)}: the console decides what that means
     */
    public Object eval(String source, PrintWriter out, PrintWriter err) throws ScriptError, InterruptedException {
        return onEvaluator(s -> s.eval(source, out, err));
    }

    /**
     * What the console does with a Groovy line: evaluates it, prints the result as {@code => 42}
     * (nothing for null) or the error in one to three lines. Returns 0, 1 after an error, 130
     * when interrupted. {@code exit(n)} is thrown on as {@link ScriptExit}.
     */
    public int evalAndPrint(String source, PrintWriter out, PrintWriter err) {
        return evalAndPrint(source, out, err, java.util.function.UnaryOperator.identity());
    }

    /** As above, with a say in how a Groovy error is worded (the console turns a mistyped command into a hint). */
    public int evalAndPrint(String source, PrintWriter out, PrintWriter err, java.util.function.UnaryOperator<String> wording) {
        try {
            String shown = format(eval(source, out, err));
            if (shown != null) {
                out.println(shown);
            }
            return 0;
        } catch (ScriptError e) {
            err.println(wording.apply(e.getMessage()));
            return 1;
        } catch (InterruptedException e) {
            err.println("interrupted");
            return 130;
        } catch (ProcshException e) {
            err.println(e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** {@code => 42} for a result, continuation lines indented; null (print nothing) for null. */
    public String format(Object result) {
        return result == null ? null : GroovySession.format(result);
    }

    /**
     * Runs a Groovy file in this session ({@code source FILE}): its jobs join the table, its
     * top-level variables stay, {@code args} holds {@code args} while it runs. Returns what it
     * passed to {@code exit(n)}, 1 after an uncaught error (said on {@code err} with the file's
     * line), 2 if the file cannot be read, else 0.
     */
    public int source(Path file, List<String> args, PrintWriter out, PrintWriter err) throws InterruptedException {
        try {
            return onEvaluator(s -> s.source(file, args, out, err));
        } catch (ScriptError impossible) {
            // source() reports its own errors and returns a status.
            throw new IllegalStateException(impossible);
        }
    }

    /** True when the input stops inside a brace, bracket, paren, multi-line string or expression: ask for more. */
    public boolean isIncomplete(String source) {
        try {
            return InputCompleteness.isIncomplete(source);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return false; // then it is run, and the evaluation says what is wrong
        }
    }

    /** Candidates for TAB at {@code cursor}: session variables, functions, members of the value before a dot. */
    public Completions complete(String buffer, int cursor) {
        try {
            return session().complete(buffer, cursor);
        } catch (RuntimeException e) {
            return Completions.none(cursor);
        }
    }

    /** Ctrl-C: stops the evaluation under way, if any; the session and its variables stay. */
    public void interrupt() {
        synchronized (lock) {
            if (running != null) {
                running.interrupt();
            }
        }
    }

    /** Stops an evaluation under way and the engine's threads. The table is the caller's to close. */
    @Override
    public void close() {
        GroovySession s;
        ExecutorService e;
        synchronized (lock) {
            closed = true;
            s = session;
            e = evaluator;
        }
        interrupt();
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (s != null) {
            s.close();
        }
    }

    private GroovySession session() {
        synchronized (lock) {
            if (closed) {
                throw new ProcshException("the Groovy session is closed");
            }
            if (session == null) {
                session = new GroovySession(table);
                session.context().commands(commands);
            }
            return session;
        }
    }

    private interface Evaluation<T> {
        T run(GroovySession session) throws ScriptError, InterruptedException;
    }

    private <T> T onEvaluator(Evaluation<T> work) throws ScriptError, InterruptedException {
        GroovySession s = session();
        if (Thread.currentThread() == evaluatorThread) {
            // A script that sources another (sh 'source x.groovy'): run it in place, not behind itself.
            return work.run(s);
        }
        Future<T> result = evaluator().submit(() -> runInterruptibly(work, s));
        boolean callerInterrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    // The caller gave up: stop the evaluation and wait for it, so no two ever overlap.
                    callerInterrupted = true;
                    interrupt();
                } catch (ExecutionException e) {
                    throw rethrown(e.getCause());
                }
            }
        } finally {
            if (callerInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <T> T runInterruptibly(Evaluation<T> work, GroovySession s) throws ScriptError, InterruptedException {
        synchronized (lock) {
            running = Thread.currentThread();
        }
        try {
            return work.run(s);
        } finally {
            synchronized (lock) {
                running = null;
                // A Ctrl-C that came as the evaluation ended must not hit the next one.
                Thread.interrupted();
            }
        }
    }

    private static IllegalStateException rethrown(Throwable cause) throws ScriptError, InterruptedException {
        if (cause instanceof ScriptError e) {
            throw e;
        }
        if (cause instanceof InterruptedException) {
            throw new InterruptedException("interrupted");
        }
        if (cause instanceof RuntimeException e) {
            throw e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(cause);
    }

    private ExecutorService evaluator() {
        synchronized (lock) {
            if (closed) {
                throw new ProcshException("the Groovy session is closed");
            }
            if (evaluator == null) {
                evaluator = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(null, r, EVAL_THREAD, EVAL_STACK_BYTES);
                    t.setDaemon(true);
                    evaluatorThread = t;
                    return t;
                });
            }
            return evaluator;
        }
    }
}

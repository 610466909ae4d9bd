package procsh.os;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts processes with the JDK's ProcessBuilder. Portable, but it keeps one reaper thread per
 * live child and reports a death by signal N as 128+N. A child is moved into its own session by
 * util-linux {@code setsid}, which (the child not being a group leader) execs in place, so the
 * PID we hold is the program's.
 */
public final class JdkBackend implements Backend {

    private static final Path SETSID = findSetsid();
    /** coreutils env that resets every signal to its default, when the JVM ignores one; else null. */
    private static final Path DEFAULT_SIGNALS = ProcFs.ignoresSignals() ? findDefaultSignals() : null;

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public boolean exactExitStatus() {
        return false;
    }

    @Override
    public boolean ownSession() {
        return SETSID != null;
    }

    @Override
    public OsProcess start(SpawnPlan plan) throws SpawnException {
        // Checked first: behind setsid a missing program is no spawn failure, only an exit status of 127.
        Executables.check(plan);
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID.toString());
        }
        // env would take a program path with '=' in it for a variable: that one keeps the JVM's dispositions.
        if (DEFAULT_SIGNALS != null && plan.executable().toString().indexOf('=') < 0) {
            command.add(DEFAULT_SIGNALS.toString());
            command.add("--default-signal");
        }
        command.add(plan.executable().toString());
        command.addAll(plan.argv().subList(1, plan.argv().size()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(plan.cwd().toFile());
        setEnvironment(builder.environment(), plan.environment().variables());
        builder.redirectInput(plan.stdinPipe() ? ProcessBuilder.Redirect.PIPE
                : ProcessBuilder.Redirect.from(new File("/dev/null")));
        // Opened by the JVM by name: created first, anew, through the session's opened directory.
        File stdout = new File(plan.reach(plan.stdout()));
        File stderr = new File(plan.reach(plan.stderr()));
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(stdout));
        builder.redirectError(ProcessBuilder.Redirect.appendTo(stderr));
        try {
            if (plan.outputs() != null && plan.appendOutputs()) {
                requireOwnFile(plan, plan.stdout());
                requireOwnFile(plan, plan.stderr());
            } else if (plan.outputs() != null) {
                createNew(plan, plan.stdout());
                createNew(plan, plan.stderr());
            } else {
                createPrivate(plan.stdout());
                createPrivate(plan.stderr());
            }
            Process process = UnblockedSignals.during(builder::start);
            if (SETSID != null) {
                awaitOwnSession(process);
            }
            return new JdkProcess(process, plan.stdinPipe());
        } catch (IOException e) {
            throw new SpawnException("cannot start " + plan.argv().get(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The builder starts with the JVM's own environment, which it passes on as the bytes it got:
     * those are kept where the job's variable is the inherited one, unchanged (a value that is not
     * valid in the locale's charset would not survive a round trip through a String).
     */
    private static void setEnvironment(Map<String, String> builderEnv, Map<String, String> wanted) {
        builderEnv.keySet().retainAll(wanted.keySet());
        wanted.forEach((key, value) -> {
            if (!value.equals(builderEnv.get(key))) {
                builderEnv.put(key, value);
            }
        });
    }

    /** A next run appends to the file its first run made: a plain file still, not a symlink put in its place. */
    private static void requireOwnFile(SpawnPlan plan, Path file) throws SpawnException {
        if (!Files.isRegularFile(Path.of(plan.reach(file)), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new SpawnException("not starting " + plan.argv().get(0) + " again: " + file + " is no longer the file procsh made for it");
        }
    }

    /**
     * CREATE_NEW is O_CREAT|O_EXCL, which fails on anything there, a symlink included: the JDK's
     * append then opens the file made here. 0600, as the JDK would make it 0666 less the umask.
     */
    private static void createNew(SpawnPlan plan, Path file) throws SpawnException, IOException {
        try {
            Files.newByteChannel(Path.of(plan.reach(file)), java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))).close();
        } catch (FileAlreadyExistsException planted) {
            throw new SpawnException("not starting " + plan.argv().get(0) + ": " + file
                    + " is there already; procsh writes job output only to files it creates (was it planted?)");
        } catch (IOException e) {
            throw new IOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** The JDK would create an output file readable by all (0666 less the umask): create it 0600 first. */
    private static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException appendedTo) {
            // Appending to it is what the job gets.
        } catch (IOException e) {
            throw new IOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns once setsid has made the child a group leader, so that a group signal sent right
     * after spawn reaches it; a child that already exited returns at once.
     */
    private static void awaitOwnSession(Process process) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline && process.isAlive()) {
            java.util.Optional<ProcStat> stat = ProcFs.stat(process.pid());
            if (stat.isEmpty() || stat.get().pgrp() == process.pid()) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    /**
     * An ignored signal stays ignored across exec, and a JVM started under nohup or in the
     * background of a script ignores SIGHUP or SIGINT: coreutils env (8.31+) resets them all to
     * their default, as the native backend's spawn does. Used only then, so no job pays the exec.
     */
    private static Path findDefaultSignals() {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path env = Path.of(dir, "env");
            if (Files.isExecutable(env)) {
                try {
                    Process probe = new ProcessBuilder(env.toString(), "--default-signal", "true")
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    if (probe.waitFor() == 0) {
                        return env;
                    }
                } catch (IOException e) {
                    return null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return null;
    }

    private static Path findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Exits are awaited on procsh's own threads, not through Process.onExit(): that completes on the
     * common ForkJoin pool, where one blocked task (a script's, a `logs -f`) held up every exit on JDK 25.
     * One thread per live child, as the JDK's reaper keeps anyway; an idle one ends after a second.
     */
    private static final java.util.concurrent.ExecutorService EXIT_WAITERS = new java.util.concurrent.ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 1, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "procsh-jdk-exit");
                t.setDaemon(true);
                return t;
            });

    /** Writes of a job's stdin, one piece each: a thread stays only while a job leaves its piece unread. */
    private static final java.util.concurrent.ExecutorService STDIN_WRITERS = new java.util.concurrent.ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 1, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "procsh-jdk-stdin");
                t.setDaemon(true);
                return t;
            });
    /** Linux's PIPE_BUF: a write of at most this many bytes to a pipe goes in whole or waits. */
    private static final int PIPE_BUF = 4096;

    private static ExitStatus exitOf(Process process) {
        boolean interrupted = false;
        while (true) {
            try {
                int code = process.waitFor();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return ExitStatus.shellStyle(code);
            } catch (InterruptedException e) {
                interrupted = true; // only the exit ends this wait
            }
        }
    }

    private static final class JdkProcess implements OsProcess {
        private final Process process;
        private final OutputStream stdin;
        private final CompletableFuture<ExitStatus> exit;
        /** A piece of stdin still waiting for the job to read it, or null. */
        private CompletableFuture<Void> inFlight;

        JdkProcess(Process process, boolean stdinPipe) {
            this.process = process;
            this.stdin = stdinPipe ? process.getOutputStream() : null;
            this.exit = CompletableFuture.supplyAsync(() -> exitOf(process), EXIT_WAITERS);
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public CompletableFuture<ExitStatus> onExit() {
            return exit;
        }

        @Override
        public boolean reaped() {
            // The JDK's reaper marks the process exited once it has reaped it.
            return !process.isAlive();
        }

        @Override
        public synchronized boolean signal(Signal signal) throws IOException {
            // The JDK only reaps through its own reaper; while isAlive() is true the PID is ours.
            if (!process.isAlive()) {
                return false;
            }
            OsSignals.kill(process.pid(), signal);
            return true;
        }

        @Override
        public boolean hasStdin() {
            return stdin != null;
        }

        /**
         * The JDK's pipe blocks, and a write blocked in it cannot be called off: it is made on a
         * thread of {@link #STDIN_WRITERS}, in PIPE_BUF pieces (each written whole or not at all),
         * and this thread stops waiting when one stalls. That piece goes in if the job reads later;
         * until then a later send writes nothing.
         */
        @Override
        public int writeStdin(byte[] bytes, long stallNanos) throws IOException {
            synchronized (this) {
                if (inFlight != null && !inFlight.isDone()) {
                    return 0;
                }
                int offset = 0;
                while (offset < bytes.length) {
                    byte[] piece = java.util.Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + PIPE_BUF));
                    CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                        try {
                            stdin.write(piece);
                            stdin.flush();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, STDIN_WRITERS);
                    try {
                        write.get(stallNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                    } catch (java.util.concurrent.TimeoutException stalled) {
                        inFlight = write;
                        return offset;
                    } catch (InterruptedException e) {
                        inFlight = write;
                        Thread.currentThread().interrupt();
                        return offset;
                    } catch (java.util.concurrent.ExecutionException e) {
                        Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
                        throw cause instanceof IOException io ? io : new IOException(cause);
                    }
                    offset += piece.length;
                }
                return offset;
            }
        }

        @Override
        public void closeStdin() throws IOException {
            CompletableFuture<Void> pending;
            synchronized (this) {
                pending = inFlight;
            }
            if (pending != null && !pending.isDone()) {
                // Closing now would wait for the stalled piece (the stream's lock): closed after it instead.
                pending.whenComplete((done, failed) -> closeQuietly());
                return;
            }
            stdin.close();
        }

        private void closeQuietly() {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // The job is gone or its stdin is: nothing left to tell anyone.
            }
        }
    }
}

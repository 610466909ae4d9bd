package procsh.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import procsh.command.CommandRegistry;
import procsh.command.LineSplitter;
import procsh.command.Shell;
import procsh.command.ShellSession;
import procsh.core.Durations;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.ProcshException;
import procsh.core.SessionContext;
import procsh.core.SessionDirectory;
import procsh.core.SpawnRequest;
import procsh.os.Backends;
import procsh.testing.Leftovers;

/**
 * At least 100,000 random command lines (see {@link LineGenerator}) through the command layer,
 * against a table holding live jobs, an ended job and a job with a stdin pipe. For every line:
 * nothing escapes as an exception, the status is one the commands document, and a line that is
 * refused (status 1 or 2) says so in exactly one line on stderr (no internal error, no raw line
 * break) and leaves the table (ids, states,
 * signals sent, names, cwd, environment, log files) as it was.
 *
 * <p>The fixture jobs must stay as they are for the comparison to mean anything, so lines that
 * would succeed in changing them (kill/stop/restart/close/rm of a live fixture, clean, exit) or
 * wait on them for long ({@code wait} without a short --timeout, {@code logs -f}) are not run;
 * spawning is refused by a {@link GatedBackend}, so that random words never start a program.
 *
 * <p>{@code -Dprocsh.fuzz.seed=N} replays a run (the seed is in every failure message);
 * {@code -Dprocsh.fuzz.lines=N} changes how many lines are tried.
 */
class ShellFuzzTest {

    private static final int LINES = Integer.getInteger("procsh.fuzz.lines", 100_000);
    /** A line that takes longer than this is a hang. */
    private static final Duration HANG = Duration.ofSeconds(20);

    /** Independent workers, each with its own table, shell and generator (seed + worker number): one per core here. */
    private static final int WORKERS = Integer.getInteger("procsh.fuzz.workers", 2);

    @TempDir
    Path temp;

    private long seed;
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger gateRefusals = new AtomicInteger();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final AtomicLong shellNanos = new AtomicLong();
    private final Map<String, long[]> byCommand = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String slowestLine = "";

    @Test
    void randomLinesNeverEscapeAndRefusedLinesSayOneLineAndChangeNothing() throws Exception {
        seed = Long.getLong("procsh.fuzz.seed", System.nanoTime() ^ Double.doubleToLongBits(Math.random()));
        System.out.println("[fuzz] shell: seed " + seed + " (replay: -Dprocsh.fuzz.seed=" + seed + ")");
        List<Worker> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(new Worker(w, LINES / WORKERS + (w < LINES % WORKERS ? 1 : 0)));
        }
        long t0 = System.nanoTime();
        workers.forEach(w -> w.thread.start());
        try {
            for (Worker w : workers) {
                w.await();
            }
        } finally {
            for (Worker w : workers) {
                w.table.close();
            }
        }
        long took = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[fuzz] shell: %d lines in %d ms on %d threads (%d ms in Shell.run): %d accepted, %d refused; %d unsafe lines"
                + " replaced; %d spawns refused by the gate; slowest line %d ms: %s%n", LINES, took, WORKERS, shellNanos.get() / 1_000_000,
                accepted.get(), rejected.get(), skipped.get(), gateRefusals.get(), slowestNanos.get() / 1_000_000, show(slowestLine));
        byCommand.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(8)
                .forEach(e -> System.out.printf("[fuzz] shell:   %-10s %6d lines, %6d ms, %4d us each%n", e.getKey(), e.getValue()[0],
                        e.getValue()[1] / 1_000_000, e.getValue()[1] / 1000 / e.getValue()[0]));
        for (Worker w : workers) {
            assertThat(Leftovers.of(w.table)).as("processes left by worker %d", w.number).isEmpty();
        }
        assertThat(accepted.get() + rejected.get()).isEqualTo(LINES);
    }

    private String replay() {
        return " (seed " + seed + "; replay with -Dprocsh.fuzz.seed=" + seed + ")";
    }

    /** One fuzzing thread over its own table: two live jobs (one with a stdin pipe) and an ended one. */
    private final class Worker {
        final int number;
        final int lines;
        final GatedBackend backend;
        final JobTable table;
        final Shell shell;
        final LineGenerator generator;
        final List<Job> live;
        final Job done;
        final Thread thread;
        volatile String current;
        volatile int index;
        volatile Throwable failure;

        Worker(int number, int lines) {
            this.number = number;
            this.lines = lines;
            backend = new GatedBackend(Backends.byName("native"));
            Path dir = temp.resolve("w" + number);
            table = new JobTable(backend, SessionDirectory.create(dir.resolve("state").resolve("procsh")),
                    new SessionContext(temp, System.getenv()));
            table.defaultGrace(Duration.ofMillis(500));
            Job web = table.spawn(SpawnRequest.of("sleep", "600").name("web"));
            Job sink = table.spawn(SpawnRequest.of("cat").name("sink").stdin(true));
            done = table.spawn(SpawnRequest.of("true").name("done"));
            try {
                assertThat(table.waitFor(done, Duration.ofSeconds(10)).timedOut()).isFalse();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            backend.shut();
            live = List.of(web, sink);
            shell = new Shell(ShellSession.plain(table));
            List<String> refs = new ArrayList<>(List.of("1", "2", "3", "4", "0", "-1", "-0", "%1", "%2", "%3", "%4", "%0",
                    "%%1", "%", "%web", "web", "sink", "done", "Web", "web ", " 1", "01", "001", "1.0", "+1", "1e2", "0x1", "2147483647",
                    "2147483648", "-2147483648", "99999999999999999999", "\u0661", "\u0663", "\uff11", "%\u0661", "nope", "%nope", ""));
            generator = new LineGenerator(seed + number, refs);
            thread = new Thread(this::run, "procsh-fuzz-" + number);
            thread.setDaemon(true);
        }

        private void run() {
            try {
                String state = snapshot(table);
                for (int i = 0; i < lines; i++) {
                    String line = generator.next();
                    int tries = 0;
                    while (!safe(table, line)) {
                        skipped.incrementAndGet();
                        line = ++tries < 20 ? generator.next() : "pwd";
                    }
                    current = line;
                    index = i;
                    state = check(this, line, state);
                }
                gateRefusals.addAndGet(backend.refused());
                // The fixture jobs were never touched: alive, never signalled, nothing else started.
                assertThat(live).allMatch(Job::isAlive).allMatch(j -> j.signals().isEmpty());
                assertThat(table.jobs()).containsExactly(live.get(0), live.get(1), done);
                assertThat(Leftovers.of(table)).containsExactlyInAnyOrder(live.get(0).pid(), live.get(1).pid());
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** Waits for the worker; a line that makes no progress for {@link #HANG} is a hang. */
        void await() throws InterruptedException {
            int lastIndex = -1;
            long lastProgress = System.nanoTime();
            while (thread.isAlive()) {
                thread.join(500);
                int now = index;
                if (now != lastIndex) {
                    lastIndex = now;
                    lastProgress = System.nanoTime();
                } else if (thread.isAlive() && System.nanoTime() - lastProgress > HANG.toNanos()) {
                    thread.interrupt();
                    fail("worker " + number + ", line #" + now + " hangs (over " + HANG.toSeconds() + " s): " + show(current) + replay());
                }
            }
            if (failure != null) {
                throw new AssertionError("worker " + number + ", line #" + index + " " + show(current) + replay() + ": "
                        + failure.getMessage(), failure);
            }
        }
    }

    // ------------------------------------------------------------------ one line

    /** Runs one line and checks it; returns the table's state after it. */
    private String check(Worker worker, String line, String before) throws InterruptedException {
        JobTable table = worker.table;
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        CountingWriter err = new CountingWriter(errText);
        long t0 = System.nanoTime();
        int status;
        try {
            status = worker.shell.run(line, new PrintWriter(outText), err);
        } catch (RuntimeException | Error e) {
            throw new AssertionError("escaped: " + e, e);
        }
        long took = System.nanoTime() - t0;
        shellNanos.addAndGet(took);
        String first = Shell.firstWord(line);
        long[] acc = byCommand.computeIfAbsent(CommandRegistry.get().find(first).map(e -> e.name()).orElse("(other)"), k -> new long[2]);
        synchronized (acc) {
            acc[0]++;
            acc[1] += took;
        }
        if (slowestNanos.accumulateAndGet(took, Math::max) == took) {
            slowestLine = line;
        }
        assertThat(Thread.currentThread().isInterrupted()).as("interrupt status after the line").isFalse();
        assertThat(status).as("status").isIn(0, 1, 2, 124);
        String err1 = errText.toString();
        assertNoInternalError(line, err1);
        String after = snapshot(table);
        if (status == 1 || status == 2) {
            rejected.incrementAndGet();
            int segments = segments(line);
            if (segments <= 1) {
                assertThat(after).as("the table after a refused line").isEqualTo(before);
            } else {
                // An earlier command of the line may have succeeded (setenv, cd): only the jobs and logs are compared.
                assertThat(jobsOnly(after)).as("the table after a refused line").isEqualTo(jobsOnly(before));
            }
            if (segments <= 1) {
                assertOneErrorLine(err.printlns(), err1);
            } else {
                assertThat(err.printlns()).as("error lines of a refused line of %d commands: %s", segments, show(err1))
                        .isBetween(1, segments * 8);
            }
        } else {
            accepted.incrementAndGet();
        }
        return after;
    }

    /** Exactly one line on stderr, one println holding no line break (a typed one is shown escaped). */
    private static void assertOneErrorLine(int printlns, String err) {
        assertThat(printlns).as("lines printed on stderr: %s", show(err)).isEqualTo(1);
        assertThat(err).as("one line: %s", show(err)).endsWith("\n");
        String text = err.substring(0, err.length() - 1);
        assertThat(text.indexOf('\n') < 0 && text.indexOf('\r') < 0).as("a line break inside the error: %s", show(err)).isTrue();
    }

    /** Internal errors are bugs: a refused line is told why in the user's terms. */
    private static void assertNoInternalError(String line, String err) {
        assertThat(err).as("an internal error for %s: %s", show(line), show(err)).doesNotContain("internal error");
    }

    private static int segments(String line) {
        try {
            return LineSplitter.split(line).size();
        } catch (ProcshException refusedBySplitter) {
            return 1;
        }
    }

    /** What a refused line must not change: ids, states, signals, names, endings; the log files; cwd and environment. */
    private static String snapshot(JobTable table) {
        StringBuilder s = new StringBuilder();
        for (Job j : table.jobs()) {
            s.append(j.id()).append(':').append(j.name()).append(':').append(j.state()).append(':')
                    .append(j.ending()).append(':').append(j.signals().size()).append(' ');
        }
        try (Stream<Path> files = Files.list(table.directory().root())) {
            files.map(p -> p.getFileName().toString()).sorted().forEach(f -> s.append(f).append(','));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        s.append('|').append(table.context().cwd()).append(' ').append(table.context().env().hashCode());
        return s.toString();
    }

    private static String jobsOnly(String snapshot) {
        return snapshot.substring(0, snapshot.lastIndexOf('|'));
    }

    // ------------------------------------------------------------------ which lines may run

    /**
     * False for a line that could succeed in changing the fixture jobs or block: checked per command
     * on the words the command layer itself will see, conservatively (when in doubt, not run).
     */
    private static boolean safe(JobTable table, String line) {
        List<List<String>> commands;
        try {
            commands = LineSplitter.split(line);
        } catch (ProcshException refused) {
            return true; // refused before any command runs
        }
        for (List<String> words : commands) {
            var entry = CommandRegistry.get().find(words.get(0));
            if (entry.isEmpty()) {
                continue;
            }
            String name = entry.get().name();
            List<String> args = words.subList(1, words.size());
            for (String a : args) {
                // picocli reads "@FILE" as the arguments in FILE (see CommandLayerBugsTest): no real files here.
                if (a.startsWith("@") && !a.startsWith("@@") && a.length() > 1 && new File(a.substring(1)).exists()) {
                    return false;
                }
            }
            boolean help = !args.isEmpty() && (args.get(0).equals("-h") || args.get(0).equals("--help"));
            if (help) {
                continue;
            }
            boolean namesLive = args.stream().anyMatch(a -> table.find(a).filter(Job::isAlive).isPresent());
            boolean namesAny = args.stream().anyMatch(a -> table.find(a).isPresent());
            boolean ok = switch (name) {
                case "kill", "terminate", "stop", "restart", "close" -> !namesLive;
                case "rm" -> !namesAny;
                case "clean" -> args.stream().anyMatch(a -> !a.equals("--"));
                case "exit" -> refusedExit(args);
                case "wait" -> shortWait(args);
                case "logs" -> beforeEndOfOptions(args).stream().noneMatch(a -> a.startsWith("--f")
                        || (a.startsWith("-") && !a.startsWith("--") && a.indexOf('f') > 0));
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static List<String> beforeEndOfOptions(List<String> args) {
        int end = args.indexOf("--");
        return end < 0 ? args : args.subList(0, end);
    }

    /** An exit certain to be refused: some positional word that is no integer. */
    private static boolean refusedExit(List<String> args) {
        int end = args.indexOf("--");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean positional = end >= 0 && i > end || !a.startsWith("-");
            if (positional && !a.isEmpty() && !a.chars().allMatch(c -> Character.isDigit(c) || Character.digit(c, 16) >= 0
                    || "+-_xX# ".indexOf(c) >= 0 || Character.isWhitespace(c))) {
                return true;
            }
        }
        return false;
    }

    /** A wait that returns at once: a single --timeout of at most 20 ms, or one picocli will refuse. */
    private static boolean shortWait(List<String> args) {
        List<String> options = beforeEndOfOptions(args);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            String a = options.get(i);
            if (a.equals("--timeout")) {
                if (i + 1 >= options.size()) {
                    return true; // a missing value: refused
                }
                values.add(options.get(i + 1));
            } else if (a.startsWith("--timeout=")) {
                values.add(a.substring("--timeout=".length()));
            }
        }
        if (values.size() != 1) {
            return values.size() > 1; // twice: refused; never: waits for as long as the jobs run
        }
        try {
            return Durations.parse(values.get(0)).compareTo(Duration.ofMillis(20)) <= 0;
        } catch (ProcshException refused) {
            return true;
        }
    }

    // ------------------------------------------------------------------ output

    /** A line fit for a failure message: control characters shown as escapes, long ones cut. */
    static String show(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < Math.min(s.length(), 300); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
        if (s.length() > 300) {
            b.append("... (").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    /** Counts println calls: one message is one println, whatever characters it holds. */
    static final class CountingWriter extends PrintWriter {
        private int printlns;

        CountingWriter(StringWriter target) {
            super(target);
        }

        @Override
        public void println() {
            printlns++;
            super.println();
        }

        int printlns() {
            return printlns;
        }
    }
}

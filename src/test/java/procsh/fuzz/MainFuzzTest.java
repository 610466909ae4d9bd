package procsh.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;
import procsh.Main;
import procsh.core.SessionDirectory;
import procsh.os.Backends;

/**
 * procsh's own command line, fuzzed in-process: {@code Main.run(String[])} with random options and
 * option values must return 0, 1 or 2 and never throw nor print a stack trace. Every run includes
 * {@code -c} with a harmless command line, so no run reads stdin (surefire's own channel) or
 * starts the console; hidden options (the CDS training run) are left out. Session directories
 * the runs create are removed afterwards. Seed and replay as in {@link ShellFuzzTest}.
 */
class MainFuzzTest {

    private static final int RUNS = Integer.getInteger("procsh.fuzz.mainRuns", 2000);
    /** Command lines that are commands (so Groovy is never loaded) with status 0, 1 or 2. */
    private static final List<String> HARMLESS = List.of("pwd", "list", "signals", "kill 99", "poll 1", "wait --timeout 0",
            "list --bogus", "", "# a comment", "help kill", "env NO_SUCH_VARIABLE_XYZ", "kill 'unclosed");
    private static final List<String> BACKENDS = List.of("auto", "native", "jdk", "JDK", "Native", "AUTO", "", " ", "bogus", "nat",
            "jdk ", "\u0000", "n\u00e4tive", "posix", "-", "null", "1", "\u202ejdk");
    private static final List<String> UNKNOWN = List.of("--bogus", "-x", "-Z", "--c", "---", "--debug=yes", "--debug=false",
            "--help=1", "-hV", "-Vh", "--backend=", "--=", "-", "--", "-\u00e9", "--\u0000", "--command=", "-c=");

    @TempDir
    Path temp;

    @Test
    void randomOptionsAndValuesExitWithZeroOneOrTwoAndNeverThrow() throws Exception {
        long seed = Long.getLong("procsh.fuzz.seed", System.nanoTime() ^ Double.doubleToLongBits(Math.random()));
        System.out.println("[fuzz] main: seed " + seed + " (replay: -Dprocsh.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        List<String> options = new ArrayList<>();
        for (OptionSpec o : Main.commandLine().getCommandSpec().options()) {
            if (!o.hidden()) {
                // -c/--command come with a harmless value of their own (below); a lone one would take the next word.
                List.of(o.names()).stream().filter(n -> !n.equals("-c") && !n.equals("--command")).forEach(options::add);
            }
        }

        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        InputStream realIn = System.in;
        String realBackend = System.getProperty(Backends.PROPERTY);
        String realHome = System.getProperty("user.home");
        boolean xdg = System.getenv("XDG_STATE_HOME") != null && !System.getenv("XDG_STATE_HOME").isBlank();
        if (!xdg) {
            System.setProperty("user.home", temp.toString());
        }
        Path base = SessionDirectory.defaultBase();
        Set<String> before = children(base);
        Map<Integer, Integer> statuses = new TreeMap<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < RUNS; i++) {
                List<String> args = arguments(random, options);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                System.setIn(new ByteArrayInputStream(new byte[0]));
                int status;
                try {
                    status = Main.run(args.toArray(String[]::new));
                } catch (Throwable t) {
                    throw new AssertionError(where(seed, i, args) + " threw " + t, t);
                } finally {
                    System.setOut(realOut);
                    System.setErr(realErr);
                    System.setIn(realIn);
                    restore(Backends.PROPERTY, realBackend);
                }
                String errText = err.toString(StandardCharsets.UTF_8);
                statuses.merge(status, 1, Integer::sum);
                assertThat(status).as("%s status; err: %s", where(seed, i, args), errText).isIn(0, 1, 2);
                if (!args.contains("--debug")) {
                    assertThat(errText).as("%s: a stack trace", where(seed, i, args)).doesNotContain("\tat ").doesNotContain("internal error");
                }
            }
        } finally {
            restore("user.home", realHome);
            removeNewSessions(base, before);
        }
        System.out.printf("[fuzz] main: %d runs of procsh's command line in %d ms, statuses %s%n", RUNS,
                (System.nanoTime() - t0) / 1_000_000, statuses);
    }

    private static List<String> arguments(Random random, List<String> options) {
        List<String> args = new ArrayList<>();
        args.add(random.nextBoolean() ? "-c" : "--command");
        args.add(pick(random, HARMLESS));
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(9)) {
                case 0, 1 -> args.add(pick(random, options));
                case 2 -> {
                    args.add("--backend");
                    args.add(random.nextInt(4) == 0 ? junk(random) : pick(random, BACKENDS));
                }
                case 3 -> args.add("--backend=" + pick(random, BACKENDS));
                case 4 -> {
                    args.add("-c");
                    args.add(pick(random, HARMLESS));
                }
                case 5 -> args.add(pick(random, UNKNOWN));
                case 6 -> args.add(junk(random)); // a positional: a script that does not exist
                case 7 -> args.add(pick(random, List.of("@no-such-file-" + random.nextInt(1000), "@@x", "@", "no-such.groovy", ".", "/")));
                default -> args.add("--command=" + pick(random, HARMLESS));
            }
        }
        // No word may be read as "arguments from this file" (see CommandLayerBugsTest): none names a file here.
        args.replaceAll(a -> a.startsWith("@") && a.length() > 1 && !a.startsWith("@@") && new File(a.substring(1)).exists() ? "--debug" : a);
        return args;
    }

    /** Random characters, never starting with '-' (so never an option such as -cLINE). */
    private static String junk(Random random) {
        int n = random.nextInt(10);
        StringBuilder b = new StringBuilder("x");
        for (int i = 0; i < n; i++) {
            b.append((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x5f) : random.nextInt(0x3000)));
        }
        return b.toString();
    }

    private static <T> T pick(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static String where(long seed, int run, List<String> args) {
        return "run #" + run + " procsh " + args.stream().map(ShellFuzzTest::show).collect(Collectors.joining(" "))
                + " (seed " + seed + "; replay with -Dprocsh.fuzz.seed=" + seed + ")";
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static Set<String> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** Deletes the session directories this JVM created during the runs (their names end in our PID). */
    private static void removeNewSessions(Path base, Set<String> before) throws IOException {
        String pid = "-" + ProcessHandle.current().pid();
        for (String name : children(base)) {
            if (!before.contains(name) && (name.endsWith(pid) || name.contains(pid + "-"))) {
                try (Stream<Path> walk = Files.walk(base.resolve(name))) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        if (before.isEmpty() && children(base).isEmpty()) {
            Files.deleteIfExists(base);
        }
    }
}

package procsh.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import procsh.os.ProcFs;
import procsh.os.ProcStat;

/**
 * What this JVM holds, read from /proc/self: its threads (by name) and its file descriptors, and
 * the zombies among its own children. Used to prove that a test left nothing behind.
 *
 * <p>Threads the JVM starts and retires on its own schedule are left out of the count: JIT
 * compiler threads (their number is dynamic), GC workers (created on demand, never retired), the
 * common ForkJoinPool and the JDK's "process reaper" pool (both keep idle workers for 60 s).
 * The reapers are counted apart, so a backend that must not use them can be held to zero growth.
 */
public final class ProcessCensus {

    /** Thread names (as /proc shows them, at most 15 characters) of threads the JVM manages itself. */
    private static final List<String> JVM_MANAGED = List.of("C1 CompilerThre", "C2 CompilerThre", "GC Thread#", "G1 Conc#",
            "G1 Refine#", "G1 Main Marker", "G1 Service", "ForkJoinPool.co", "VM Periodic Tas", "Attach Listener");
    public static final String JDK_REAPER = "process reaper";

    /** The counts that matter: threads not managed by the JVM, the JDK's reapers, open descriptors. */
    public record Counts(int threads, int reapers, int fds, Map<String, Integer> names) {
        @Override
        public String toString() {
            return threads + " threads (+" + reapers + " jdk reapers), " + fds + " fds";
        }
    }

    private ProcessCensus() {
    }

    public static Counts now() {
        Map<String, Integer> names = threadNames();
        int threads = 0;
        int reapers = 0;
        for (Map.Entry<String, Integer> e : names.entrySet()) {
            if (e.getKey().equals(JDK_REAPER)) {
                reapers += e.getValue();
            } else if (counted(e.getKey())) {
                threads += e.getValue();
            }
        }
        return new Counts(threads, reapers, fds(), names);
    }

    /** False for the threads the JVM manages itself (see the class comment), true for every other, reapers included. */
    public static boolean counted(String threadName) {
        return JVM_MANAGED.stream().noneMatch(threadName::startsWith);
    }

    /** Every thread of this process by name, with how many bear it. */
    public static Map<String, Integer> threadNames() {
        Map<String, Integer> names = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                    names.merge(name, 1, Integer::sum);
                } catch (IOException ended) {
                    // The thread ended while we looked.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task", e);
        }
        return names;
    }

    /** Open file descriptors of this process (the one used to list them included, every time alike). */
    public static int fds() {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path ignored : fds) {
                n++;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/fd", e);
        }
        return n;
    }

    /** What each open descriptor points at, for a failure message. */
    public static List<String> fdTargets() {
        List<String> targets = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    targets.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (IOException closed) {
                    // Closed while we looked (the listing's own descriptor, typically).
                }
            }
        } catch (IOException e) {
            targets.add("cannot read /proc/self/fd: " + e.getMessage());
        }
        return targets;
    }

    /** Children of this JVM that have ended but were not reaped. */
    public static List<Long> zombieChildren() {
        long me = ProcessHandle.current().pid();
        return ProcFs.all().stream().filter(s -> s.ppid() == me && s.zombie()).map(ProcStat::pid).toList();
    }

    /** Live (non-zombie) processes anywhere whose environment holds KEY=VALUE exactly. */
    public static List<Long> withEnvironment(String key, String value) {
        return ProcFs.withEnvironment(ProcFs.all(), key, value).stream().map(ProcStat::pid).toList();
    }
}

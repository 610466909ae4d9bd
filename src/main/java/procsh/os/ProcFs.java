package procsh.os;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Live facts about processes read from Linux's /proc; empty answers elsewhere. */
public final class ProcFs {

    private static final Path PROC = Path.of("/proc");
    private static final long CLOCK_TICKS = sysconf(2, 100);   // _SC_CLK_TCK
    private static final long PAGE_SIZE = sysconf(30, 4096);   // _SC_PAGESIZE

    private ProcFs() {
    }

    public static boolean available() {
        return Files.isDirectory(PROC.resolve("self"));
    }

    /** glibc's own signals 32 and 33 (bits 31, 32), which no spawn resets: the JVM under surefire ignores 32. */
    private static final long GLIBC_INTERNAL_SIGNALS = 0x180000000L;

    /** Whether this process ignores some signal (SigIgn in /proc/self/status); false where that cannot be read. */
    public static boolean ignoresSignals() {
        try {
            for (String line : Files.readAllLines(PROC.resolve("self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & ~GLIBC_INTERNAL_SIGNALS) != 0;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // Not Linux, or no /proc: nothing known to reset.
        }
        return false;
    }

    public static Optional<ProcStat> stat(long pid) {
        byte[] buffer = new byte[STAT_BUFFER];
        int length = readStat(pid, buffer);
        if (length < 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(parse(pid, new String(buffer, 0, length, StandardCharsets.UTF_8)));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /**
     * The state letter of /proc/PID/stat alone (R, S, D, T, t, Z ...), or 0 when the process is
     * gone or there is no /proc: what a poll needs, without building the whole record.
     */
    public static char state(long pid) {
        byte[] buffer = new byte[STAT_BUFFER];
        int length = readStat(pid, buffer);
        // The command sits in parentheses and may itself contain spaces and parentheses: the state
        // follows the last ')' and a space.
        for (int i = length - 1; i >= 0; i--) {
            if (buffer[i] == ')') {
                return i + 2 < length ? (char) buffer[i + 2] : 0;
            }
        }
        return 0;
    }

    /** /proc/PID/stat is at most ~700 bytes (a 16-byte command and 52 numbers). */
    private static final int STAT_BUFFER = 1024;

    /** Reads /proc/PID/stat into the buffer; -1 when it cannot be read. Cheaper than Files.readString (~7 us, not ~11). */
    private static int readStat(long pid, byte[] buffer) {
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
            int length = 0;
            int n;
            while (length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) > 0) {
                length += n;
            }
            return length;
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /** True while the process exists and is not a zombie. */
    public static boolean alive(long pid, long startTicks) {
        return stat(pid).filter(s -> !s.zombie() && s.startTicks() == startTicks).isPresent();
    }

    public static Duration cpuTime(ProcStat stat) {
        return cpuTime(stat.cpuTicks());
    }

    /** Clock ticks (as /proc/PID/stat counts CPU) as a duration. */
    public static Duration cpuTime(long ticks) {
        return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS);
    }

    public static long rssBytes(ProcStat stat) {
        return stat.rssPages() * PAGE_SIZE;
    }

    /** Every process on the machine, read in one pass. */
    public static List<ProcStat> all() {
        List<ProcStat> result = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                stat(Long.parseLong(dir.getFileName().toString())).ifPresent(result::add);
            }
        } catch (IOException | RuntimeException e) {
            return result;
        }
        return result;
    }

    private record Recent(long at, List<ProcStat> scan) {
    }

    private static volatile Recent recent;

    /**
     * A scan of every process at most {@code maxAge} old, shared by all callers: a burst of readers
     * (a list of hundreds of jobs, each with its descendants) costs one pass over /proc, not one each.
     */
    public static List<ProcStat> recent(Duration maxAge) {
        Recent last = recent;
        if (last != null && System.nanoTime() - last.at() <= maxAge.toNanos()) {
            return last.scan();
        }
        List<ProcStat> scan = List.copyOf(all());
        recent = new Recent(System.nanoTime(), scan);
        return scan;
    }

    /** Live members of a process group. */
    public static List<ProcStat> group(long pgid) {
        return all().stream().filter(s -> s.pgrp() == pgid && !s.zombie()).toList();
    }

    /**
     * The live descendants of a process (by parent PID), deepest first. A process whose parent
     * died has been re-parented and is not found here: signal the group to reach those.
     */
    public static List<ProcStat> descendants(long pid) {
        return descendantsIn(pid, all());
    }

    /** As {@link #descendants(long)}, over a scan already made. */
    public static List<ProcStat> descendantsIn(long pid, List<ProcStat> all) {
        Map<Long, List<ProcStat>> children = new HashMap<>();
        for (ProcStat s : all) {
            children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
        }
        List<ProcStat> found = new ArrayList<>();
        Map<Long, Integer> depth = new HashMap<>();
        collect(pid, 1, children, found, depth);
        found.sort(Comparator.comparing((ProcStat s) -> depth.get(s.pid())).reversed());
        return found.stream().filter(s -> !s.zombie()).toList();
    }

    private static void collect(long pid, int level, Map<Long, List<ProcStat>> children, List<ProcStat> found, Map<Long, Integer> depth) {
        for (ProcStat child : children.getOrDefault(pid, List.of())) {
            if (depth.putIfAbsent(child.pid(), level) == null) {
                found.add(child);
                collect(child.pid(), level + 1, children, found, depth);
            }
        }
    }

    /** Live processes whose environment holds KEY=VALUE (readable for our own processes only). */
    public static List<ProcStat> withEnvironment(List<ProcStat> scan, String key, String value) {
        byte[] needle = (key + "=" + value).getBytes(StandardCharsets.UTF_8);
        List<ProcStat> found = new ArrayList<>();
        for (ProcStat s : scan) {
            if (s.zombie()) {
                continue;
            }
            try {
                byte[] env = Files.readAllBytes(PROC.resolve(Long.toString(s.pid())).resolve("environ"));
                if (containsEntry(env, needle)) {
                    found.add(s);
                }
            } catch (IOException | RuntimeException unreadable) {
                // Not ours, or gone: either way not a process to act on.
            }
        }
        return found;
    }

    /**
     * Live processes grouped by the value of one environment variable, in one pass over the
     * scan (environments are readable for our own processes only); processes without it are left out.
     */
    public static Map<String, List<ProcStat>> byEnvironment(List<ProcStat> scan, String key) {
        byte[] prefix = (key + "=").getBytes(StandardCharsets.UTF_8);
        Map<String, List<ProcStat>> found = new HashMap<>();
        for (ProcStat s : scan) {
            if (s.zombie()) {
                continue;
            }
            try {
                byte[] env = Files.readAllBytes(PROC.resolve(Long.toString(s.pid())).resolve("environ"));
                String value = entryValue(env, prefix);
                if (value != null) {
                    found.computeIfAbsent(value, k -> new ArrayList<>()).add(s);
                }
            } catch (IOException | RuntimeException unreadable) {
                // Not ours, or gone: either way not a process to act on.
            }
        }
        return found;
    }

    private static String entryValue(byte[] env, byte[] prefix) {
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start >= prefix.length && java.util.Arrays.equals(env, start, start + prefix.length, prefix, 0, prefix.length)) {
                    return new String(env, start + prefix.length, i - start - prefix.length, StandardCharsets.UTF_8);
                }
                start = i + 1;
            }
        }
        return null;
    }

    private static boolean containsEntry(byte[] env, byte[] needle) {
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == needle.length && java.util.Arrays.equals(env, start, i, needle, 0, needle.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    static ProcStat parse(long pid, String line) {
        // The command sits in parentheses and may itself contain spaces and parentheses.
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        String command = line.substring(open + 1, close);
        String[] f = line.substring(close + 2).split(" ");
        // f[0] is field 3 (state) of proc(5).
        return new ProcStat(pid, command, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[19]), Long.parseLong(f[21]));
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static long sysconf(int name, long fallback) {
        try {
            long value = Libc.get().sysconf(name);
            return value > 0 ? value : fallback;
        } catch (RuntimeException | LinkageError e) {
            return fallback;
        }
    }
}

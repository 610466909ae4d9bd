package procsh.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import procsh.os.ProcFs;
import procsh.os.ProcStat;

/**
 * Removes old session directories, so job logs do not pile up for ever: a session directory
 * untouched for longer than the retention (7 days by default; {@code PROCSH_KEEP_SESSIONS=30d},
 * {@code =off} never) is deleted at start, unless the procsh that made it still runs or a process
 * of one of its jobs does (found by the {@link JobTable#MARKER} in its environment). Runs once,
 * off the start-up path.
 */
public final class SessionRetention {

    public static final Duration DEFAULT = Duration.ofDays(7);
    /** The variable that sets the retention. */
    public static final String VARIABLE = "PROCSH_KEEP_SESSIONS";
    /** {@code 20261201-024050-48210}, {@code ...-48210-2}, {@code ...-48210-2.3}: the pid is the third part. */
    private static final Pattern SESSION = Pattern.compile("\\d{8}-\\d{6}-(\\d+)(?:-\\d+(?:\\.\\d+)?)?");

    private SessionRetention() {
    }

    /** The retention the environment asks for; null for "never delete". A bad value is the default, said once. */
    public static Duration configured(Map<String, String> env, java.util.function.Consumer<String> warn) {
        String value = env.get(VARIABLE);
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("never")) {
            return null;
        }
        try {
            return Durations.parse(value);
        } catch (ProcshException e) {
            warn.accept("procsh: " + VARIABLE + "=" + procsh.text.Escape.echo(value) + " is not a duration such as 7d or 12h; keeping sessions "
                    + Durations.format(DEFAULT));
            return DEFAULT;
        }
    }

    /**
     * Deletes the session directories under {@code base} older than {@code keep} with nothing alive;
     * returns them. {@code current} (this session's) is never touched.
     */
    public static List<Path> sweep(Path base, Duration keep, String current, Instant now) {
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base)) {
            for (Path dir : dirs) {
                Matcher m = SESSION.matcher(dir.getFileName().toString());
                if (m.matches() && !dir.getFileName().toString().equals(current) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        && lastTouched(dir).isBefore(now.minus(keep)) && !procshAlive(Long.parseLong(m.group(1)))) {
                    old.add(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // an unreadable base is someone else's problem to report: no session depends on this
        }
        if (old.isEmpty()) {
            return List.of();
        }
        // Read only when there is something to delete: one pass over every process's environment.
        Set<String> live = ProcFs.byEnvironment(ProcFs.all(), JobTable.MARKER).keySet().stream()
                .map(marker -> marker.substring(0, Math.max(0, marker.lastIndexOf(':')))).collect(Collectors.toSet());
        List<Path> deleted = new ArrayList<>();
        for (Path dir : old) {
            if (!live.contains(dir.getFileName().toString()) && deleteTree(dir)) {
                deleted.add(dir);
            }
        }
        return deleted;
    }

    /** The newest modification time of the directory and the files in it: a job still writing keeps it young. */
    private static Instant lastTouched(Path dir) throws IOException {
        Instant newest = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Instant t = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant();
                if (t.isAfter(newest)) {
                    newest = t;
                }
            }
        }
        return newest;
    }

    /** Whether the procsh that made the session may still run: a live process with its pid (a reused pid only delays the cleaning). */
    private static boolean procshAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file); // a symlink is deleted, never followed
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

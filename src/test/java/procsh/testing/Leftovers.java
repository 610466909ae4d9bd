package procsh.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import procsh.core.JobTable;
import procsh.os.ProcFs;
import procsh.os.ProcStat;

/** Finds what a session left running: every live process carrying its marker, found by scanning /proc. */
public final class Leftovers {

    private Leftovers() {
    }

    /** Live (non-zombie) processes whose environment says they belong to this session. */
    public static List<Long> of(JobTable table) {
        return withMarkerPrefix(JobTable.MARKER + "=" + table.directory().sessionId() + ":");
    }

    public static List<Long> withMarkerPrefix(String prefix) {
        byte[] needle = prefix.getBytes(StandardCharsets.UTF_8);
        List<Long> found = new ArrayList<>();
        for (ProcStat s : ProcFs.all()) {
            if (s.zombie()) {
                continue;
            }
            try {
                byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(s.pid()), "environ"));
                if (startsAnEntry(env, needle)) {
                    found.add(s.pid());
                }
            } catch (IOException gone) {
                // Exited while we looked.
            }
        }
        return found;
    }

    private static boolean startsAnEntry(byte[] env, byte[] needle) {
        int start = 0;
        while (start + needle.length <= env.length) {
            if (java.util.Arrays.equals(env, start, start + needle.length, needle, 0, needle.length)) {
                return true;
            }
            int next = start;
            while (next < env.length && env[next] != 0) {
                next++;
            }
            start = next + 1;
        }
        return false;
    }

    /** True while the PID is a live process (not a zombie). */
    public static boolean alive(long pid) {
        return ProcFs.stat(pid).filter(s -> !s.zombie()).isPresent();
    }
}

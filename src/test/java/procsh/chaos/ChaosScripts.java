package procsh.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Small hostile shell scripts, written into a test's temporary directory. */
final class ChaosScripts {

    private ChaosScripts() {
    }

    /**
     * {@code respawn.sh N}: ignores TERM and keeps one child alive, starting the next as soon as the
     * last dies, N times at most; prints each child's PID. The children inherit the ignored TERM.
     */
    static Path respawner(Path dir) throws IOException {
        return write(dir, "respawn.sh", """
                trap '' TERM
                n=0
                while [ $n -lt "$1" ]; do
                  sleep 300 &
                  echo $!
                  wait $!
                  n=$((n+1))
                done
                """);
    }

    /** As {@link #respawner}, but every child escapes into a session of its own with setsid. */
    static Path escapingRespawner(Path dir) throws IOException {
        return write(dir, "respawn-setsid.sh", """
                trap '' TERM
                n=0
                while [ $n -lt "$1" ]; do
                  setsid sleep 300 &
                  echo $!
                  wait $!
                  n=$((n+1))
                done
                """);
    }

    /**
     * {@code tree.sh 3}: each level ignores TERM, starts the next level in the background, prints
     * its PID and waits for it; the bottom level is a sleep; the top level (the job) exits at once,
     * so the three levels below are re-parented.
     */
    static Path tree(Path dir) throws IOException {
        return write(dir, "tree.sh", """
                trap '' TERM
                echo $$
                if [ "$1" -gt 0 ]; then "$0" $(($1 - 1)) "${2:-$1}" & fi
                if [ "$1" = "${2:-$1}" ]; then exit 0; fi
                if [ "$1" -gt 0 ]; then wait; exit 0; fi
                exec sleep 300
                """);
    }

    /** Starts a TERM-ignoring sleep in a session of its own, prints its PID and exits at once. */
    static Path detacher(Path dir) throws IOException {
        return write(dir, "detach.sh", """
                setsid sh -c 'trap "" TERM; exec sleep 300' &
                echo $!
                exit 0
                """);
    }

    private static Path write(Path dir, String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}

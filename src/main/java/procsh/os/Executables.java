package procsh.os;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Finds the program a user named, the way a shell would, so that a missing or unrunnable program
 * is reported before anything is started, naming what was wrong.
 */
public final class Executables {

    private Executables() {
    }

    /**
     * @param program what the user typed: a name looked up on PATH, or a path (with a slash)
     *                taken relative to the job's working directory
     */
    public static Path resolve(String program, Path cwd, String path) throws SpawnException {
        if (program.isEmpty()) {
            throw new SpawnException("nothing to run: the program name is empty");
        }
        if (program.indexOf('\0') >= 0) {
            throw new SpawnException("cannot run a program whose name contains a NUL byte");
        }
        try {
            Path.of(program);
        } catch (InvalidPathException e) {
            throw new SpawnException("cannot run '" + program + "': not a valid file name here (" + e.getReason() + ")");
        }
        if (program.contains("/")) {
            Path file = cwd.resolve(program).normalize();
            check(program, file);
            return file;
        }
        boolean sawUnrunnable = false;
        for (String dir : (path == null ? "" : path).split(":", -1)) {
            Path file;
            try {
                file = (dir.isEmpty() ? cwd : cwd.resolve(dir)).resolve(program);
            } catch (InvalidPathException notADirectory) {
                continue; // a PATH entry that is no valid path names no directory to look in
            }
            if (Files.isRegularFile(file)) {
                if (Files.isExecutable(file)) {
                    return file.toAbsolutePath().normalize();
                }
                sawUnrunnable = true;
            }
        }
        if (sawUnrunnable) {
            throw new SpawnException("permission denied: '" + program + "' is on PATH but not executable");
        }
        throw new SpawnException("command not found: '" + program + "' is not on PATH (give a path, or fix PATH with setenv)");
    }

    private static void check(String program, Path file) throws SpawnException {
        if (!Files.exists(file)) {
            throw new SpawnException("no such file: '" + program + "' (looked for " + file + ")");
        }
        if (Files.isDirectory(file)) {
            throw new SpawnException("'" + program + "' is a directory, not a program");
        }
        if (!Files.isExecutable(file)) {
            throw new SpawnException("permission denied: '" + program + "' is not executable (chmod +x " + program + "?)");
        }
    }

    /** Checks a working directory for a job. */
    public static Path directory(Path dir) throws SpawnException {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new SpawnException("no such directory: " + abs);
        }
        if (!Files.isDirectory(abs)) {
            throw new SpawnException("not a directory: " + abs);
        }
        if (!Files.isExecutable(abs)) {
            throw new SpawnException("permission denied: cannot enter directory " + abs);
        }
        return abs;
    }
}

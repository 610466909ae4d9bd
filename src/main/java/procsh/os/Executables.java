package procsh.os;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Finds the program a user named, the way a shell would, and says in words what is wrong with a
 * program or working directory that cannot be used. Resolving makes no checks a spawn would make
 * anyway: a backend either checks first ({@link #check(SpawnPlan)}) or explains its spawn's
 * failure afterwards ({@link #explain(SpawnPlan)}), so the usual spawn pays for no extra system calls.
 */
public final class Executables {

    private Executables() {
    }

    /**
     * @param program what the user typed: a name looked up on PATH, or a path (with a slash)
     *                taken relative to the job's working directory, which is not checked here
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
            return cwd.resolve(program).normalize();
        }
        boolean sawUnrunnable = false;
        for (String dir : (path == null ? "" : path).split(":", -1)) {
            Path file;
            try {
                file = (dir.isEmpty() ? cwd : cwd.resolve(dir)).resolve(program);
            } catch (InvalidPathException notADirectory) {
                continue; // a PATH entry that is no valid path names no directory to look in
            }
            // java.io.File answers a missing file with false; Files.isRegularFile builds an exception first.
            File candidate = file.toFile();
            if (candidate.isFile()) {
                if (candidate.canExecute()) {
                    return file.toAbsolutePath().normalize();
                }
                sawUnrunnable = true;
            }
        }
        directory(cwd); // a bad working directory is named first, as before any lookup
        if (sawUnrunnable) {
            throw new SpawnException("permission denied: '" + program + "' is on PATH but not executable");
        }
        throw new SpawnException("command not found: '" + program + "' is not on PATH (give a path, or fix PATH with setenv)");
    }

    /** Throws, saying what is wrong, if the plan's working directory or program cannot be used. */
    public static void check(SpawnPlan plan) throws SpawnException {
        String problem = explain(plan);
        if (problem != null) {
            throw new SpawnException(problem);
        }
    }

    /** What is wrong with the plan's working directory or program, or null if nothing is. */
    public static String explain(SpawnPlan plan) {
        try {
            directory(plan.cwd());
            program(plan.argv().get(0), plan.executable());
            return null;
        } catch (SpawnException e) {
            return e.getMessage();
        }
    }

    private static void program(String program, Path file) throws SpawnException {
        File f = file.toFile();
        if (f.isFile() && f.canExecute()) {
            return; // the usual case in two system calls; the ones below say what is wrong
        }
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

    /** Checks a working directory for a job; returns it absolute and normalised. */
    public static Path directory(Path dir) throws SpawnException {
        Path abs = dir.toAbsolutePath().normalize();
        File f = abs.toFile();
        if (f.isDirectory() && f.canExecute()) {
            return abs;
        }
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

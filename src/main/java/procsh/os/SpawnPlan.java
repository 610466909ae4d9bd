package procsh.os;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a backend needs to start one process, resolved; the backend checks the directory and
 * program (before its spawn, or to explain a failed one: {@link Executables}).
 *
 * @param executable  absolute path of the program to run
 * @param argv        the arguments, argv[0] first, exactly as the user gave them
 * @param cwd         the working directory
 * @param environment the complete environment of the child
 * @param stdinPipe   true for a pipe procsh can write to, false for /dev/null
 * @param stdout      file the child's stdout is appended to
 * @param stderr      file the child's stderr is appended to
 * @param outputs     the opened directory stdout and stderr are in, created anew through it; null
 *                    to open them by path and append to them should they exist
 * @param appendOutputs a restart of the same job: its files, which procsh created for an earlier run,
 *                    are appended to (still never through a symlink) instead of created anew
 * @param terminal    a pseudo-terminal's slave ({@code /dev/pts/N}) the child opens as its controlling
 *                    terminal and stdin, stdout and stderr (the files are still created, stay empty); null for none
 */
public record SpawnPlan(Path executable, List<String> argv, Path cwd, Environment environment,
                        boolean stdinPipe, Path stdout, Path stderr, OutputDirectory outputs, boolean appendOutputs,
                        String terminal) {

    public SpawnPlan {
        argv = List.copyOf(argv);
    }

    public SpawnPlan(Path executable, List<String> argv, Path cwd, Environment environment, boolean stdinPipe, Path stdout, Path stderr) {
        this(executable, argv, cwd, environment, stdinPipe, stdout, stderr, null, false, null);
    }

    public SpawnPlan(Path executable, List<String> argv, Path cwd, Environment environment, boolean stdinPipe, Path stdout, Path stderr,
                     OutputDirectory outputs) {
        this(executable, argv, cwd, environment, stdinPipe, stdout, stderr, outputs, false, null);
    }

    /** The same plan with the pseudo-terminal {@code slavePath} as the child's terminal. */
    public SpawnPlan withTerminal(String slavePath) {
        return new SpawnPlan(executable, argv, cwd, environment, stdinPipe, stdout, stderr, outputs, appendOutputs, slavePath);
    }

    /** The same plan for the job's next run (a restart policy's): it appends to the files this one made. */
    public SpawnPlan forNextRun() {
        return new SpawnPlan(executable, argv, cwd, environment, stdinPipe, stdout, stderr, outputs, true, terminal);
    }

    /** The name under which the process that opens it reaches {@code file} (stdout or stderr). */
    public String reach(Path file) {
        return outputs == null ? file.toString() : outputs.reach(file.getFileName().toString());
    }
}

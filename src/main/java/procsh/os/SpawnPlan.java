package procsh.os;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a backend needs to start one process, already checked and resolved.
 *
 * @param executable  absolute path of the program to run
 * @param argv        the arguments, argv[0] first, exactly as the user gave them
 * @param cwd         the working directory
 * @param environment the complete environment of the child
 * @param stdinPipe   true for a pipe procsh can write to, false for /dev/null
 * @param stdout      file the child's stdout is appended to
 * @param stderr      file the child's stderr is appended to
 */
public record SpawnPlan(Path executable, List<String> argv, Path cwd, Map<String, String> environment,
                        boolean stdinPipe, Path stdout, Path stderr) {

    public SpawnPlan {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    /** The environment as {@code KEY=VALUE} entries. */
    List<String> envList() {
        List<String> entries = new java.util.ArrayList<>(environment.size());
        environment.forEach((k, v) -> entries.add(k + "=" + v));
        return entries;
    }
}

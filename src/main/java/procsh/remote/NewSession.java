package procsh.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code setsid}, where there is one, before a command procsh starts for itself (ssh, an agent):
 * in a session of its own it is out of reach of the terminal's Ctrl-C and hangup, which are meant
 * for procsh's prompt, not for its connections.
 */
final class NewSession {

    private static final String SETSID = find();

    private NewSession() {
    }

    private static String find() {
        for (String path : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(path))) {
                return path;
            }
        }
        return null;
    }

    /** {@code command} to run in a new session; as it is where there is no setsid. */
    static List<String> of(List<String> command) {
        List<String> wrapped = new ArrayList<>();
        if (SETSID != null) {
            wrapped.add(SETSID);
        }
        wrapped.addAll(command);
        return wrapped;
    }
}

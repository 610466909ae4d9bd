package procsh.remote;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The agent's command lines, read before picocli (an agent needs no console, and starts faster
 * without it): {@code --agent} (over stdin and stdout), {@code --agent --session ID} (the relay
 * ssh runs), {@code --agent-daemon ID} (the detached agent); each may follow {@code --backend NAME},
 * as {@code PROCSH_REMOTE="procsh --backend jdk"} gives.
 */
public final class AgentCommandLine {

    public static final String AGENT = "--agent";
    public static final String SESSION = "--session";
    public static final String DAEMON = "--agent-daemon";

    private AgentCommandLine() {
    }

    /** Whether these arguments start an agent, a relay or a daemon. */
    public static boolean matches(String[] args) {
        String[] form = form(args);
        return form.length == 1 && form[0].equals(AGENT) || form.length == 3 && form[0].equals(AGENT) && form[1].equals(SESSION)
                || form.length == 2 && form[0].equals(DAEMON);
    }

    /** Runs what the arguments say (see {@link #matches}); returns the exit status. */
    public static int run(String[] args) {
        String backend = backend(args);
        if (backend != null) {
            System.setProperty(procsh.os.Backends.PROPERTY, backend);
        }
        String[] form = form(args);
        if (form[0].equals(DAEMON)) {
            return Agent.daemon(form[1]);
        }
        PrintStream protocol = System.out;
        System.setOut(System.err); // anything printed by mistake goes to stderr, not into the protocol
        return form.length == 1 ? Agent.run(System.in, protocol) : AgentRelay.run(form[2], System.in, protocol);
    }

    private static String[] form(String[] args) {
        return Arrays.copyOfRange(args, Math.min(args.length, backendWords(args)), args.length);
    }

    private static int backendWords(String[] args) {
        if (args.length > 0 && args[0].startsWith("--backend=")) {
            return 1;
        }
        return args.length > 1 && args[0].equals("--backend") ? 2 : 0;
    }

    private static String backend(String[] args) {
        return switch (backendWords(args)) {
            case 1 -> args[0].substring("--backend=".length());
            case 2 -> args[1];
            default -> null;
        };
    }
}

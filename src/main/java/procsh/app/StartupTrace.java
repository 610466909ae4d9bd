package procsh.app;

import java.lang.management.ManagementFactory;

/** With PROCSH_TRACE_STARTUP set, prints milliseconds since JVM start at each milestone (for the start-up benchmark). */
public final class StartupTrace {

    private static final boolean ON = System.getenv("PROCSH_TRACE_STARTUP") != null;

    private StartupTrace() {
    }

    public static void mark(String milestone) {
        if (ON) {
            long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            System.err.println("[startup] " + ms + " ms " + milestone);
        }
    }
}

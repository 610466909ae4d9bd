package procsh.os;

/** A way to start and watch processes: the JDK's ProcessBuilder, or libc directly on Linux. */
public interface Backend {

    /** Short name users and tests select it by: "native" or "jdk". */
    String name();

    /** True when {@link ExitStatus} reports signals exactly, not as 128+N. */
    boolean exactExitStatus();

    /** True when each process starts as the leader of its own session and process group. */
    boolean ownSession();

    /** True when it can give a process a pseudo-terminal ({@link SpawnPlan#terminal()}). */
    default boolean terminals() {
        return false;
    }

    OsProcess start(SpawnPlan plan) throws SpawnException;
}

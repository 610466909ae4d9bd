package procsh.os;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** A process a backend started: its PID, its end, and the few ways to reach it. */
public interface OsProcess {

    long pid();

    /** Completes once the process has ended and been reaped. */
    CompletableFuture<ExitStatus> onExit();

    /**
     * Sends a signal to this process only, and never to a process that reused its PID.
     *
     * @return false when the process had already been reaped, so nothing was sent
     */
    boolean signal(Signal signal) throws IOException;

    /** Whether a pipe to the process's stdin is open. */
    boolean hasStdin();

    void writeStdin(byte[] bytes) throws IOException;

    void closeStdin() throws IOException;
}

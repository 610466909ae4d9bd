package procsh.core;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A job's terminal (spawn --pty) as attach, send and info use it: a pseudo-terminal on this
 * machine ({@link PtyTerminal}), or one on the job's host, reached through its agent.
 */
public interface JobTerminal {

    /** Where the job's screen output goes while attached; called from the terminal's own thread. */
    interface Viewer {
        void show(byte[] bytes, int length) throws IOException;
    }

    /** {@code /dev/pts/N}, on the job's host. */
    String path();

    int columns();

    int rows();

    /** Whether the job's program drives the whole screen now, as {@code top} and {@code vim} do. */
    boolean fullScreen();

    /** Whether it shows the alternate screen now (vim, less; not top). */
    boolean alternateScreen();

    /** Completes when nothing holds the terminal any more and its output has all been shown. */
    CompletableFuture<Void> whenClosed();

    boolean isClosed();

    /** Sets the terminal's size; the job's foreground programs get SIGWINCH when it changed. */
    void resize(int columns, int rows);

    /** Types into the terminal what it takes within a short bound; returns how many bytes it took. */
    int type(byte[] bytes, int offset, int length) throws IOException;

    /** Makes {@code viewer} the one that sees the job's output from now on; false if another already does. */
    boolean attach(Viewer viewer);

    /** Once this returns the viewer is shown nothing more. */
    void detach(Viewer viewer);

    boolean attached();

    /** The session is closing: nothing more is shown from it here (a local terminal closes, its job hung up). */
    void close();
}

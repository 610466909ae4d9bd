package procsh.core;

import java.util.concurrent.CompletableFuture;

/**
 * What both kinds of job terminal share: the screen mode seen in what the job wrote, when the
 * terminal closed, and the one viewer an attach sets. Output is shown to the viewer holding
 * {@link #viewerLock}, so none goes to a viewer that has left.
 */
public abstract class ViewedTerminal implements JobTerminal {

    protected final FullScreen screen = new FullScreen();
    protected final CompletableFuture<Void> closed = new CompletableFuture<>();
    protected final Object viewerLock = new Object();
    /** Set and cleared under {@link #viewerLock}; volatile, so a look that must not wait for that lock can read it. */
    protected volatile Viewer viewer;

    @Override
    public boolean fullScreen() {
        return screen.on();
    }

    @Override
    public boolean alternateScreen() {
        return screen.alternate();
    }

    @Override
    public CompletableFuture<Void> whenClosed() {
        return closed;
    }

    @Override
    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public boolean attached() {
        return viewer != null;
    }

    @Override
    public boolean attach(Viewer v) {
        synchronized (viewerLock) {
            if (viewer != null || isClosed() || !canShow()) {
                return false;
            }
            viewer = v;
            showing(v);
            return true;
        }
    }

    @Override
    public void detach(Viewer v) {
        synchronized (viewerLock) {
            if (viewer == v) {
                viewer = null;
            }
        }
        left();
    }

    /** Whether a viewer could be shown anything now (under the viewer lock). */
    protected boolean canShow() {
        return true;
    }

    /** {@code v} is the viewer from now on (under the viewer lock). */
    protected void showing(Viewer v) {
    }

    /** A viewer has detached (not under the lock). */
    protected void left() {
    }
}

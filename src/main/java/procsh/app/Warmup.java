package procsh.app;

import procsh.os.NativeBackend;
import procsh.os.Signals;

/**
 * Loads the native layer (JNA, libc, the signal table, the reaper) on a second thread while the
 * main thread parses options and builds the terminal: on two cores, start-up overlaps instead of
 * adding up. Has no side effects beyond loading.
 */
public final class Warmup {

    private Warmup() {
    }

    public static void start() {
        Thread t = new Thread(() -> {
            try {
                Signals.os();
                NativeBackend.probe();
            } catch (RuntimeException | LinkageError ignored) {
                // The real use reports the problem; a warm-up never does.
            }
        }, "procsh-warmup");
        t.setDaemon(true);
        t.start();
    }
}

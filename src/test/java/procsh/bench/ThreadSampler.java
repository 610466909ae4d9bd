package procsh.bench;

/**
 * Samples this process's OS thread count (Threads in /proc/self/status, so JVM-internal threads
 * count too) every few milliseconds: the JDK backend's reaper threads come and go with the jobs,
 * and a single reading could miss the peak.
 */
final class ThreadSampler {

    private static final long PERIOD_MS = 5;

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    private ThreadSampler() {
        thread = new Thread(this::run, "bench-thread-sampler");
        thread.setDaemon(true);
    }

    static ThreadSampler start() {
        ThreadSampler sampler = new ThreadSampler();
        sampler.thread.start();
        return sampler;
    }

    private void run() {
        while (running) {
            Long threads = BenchIo.selfStatus().get("Threads");
            if (threads != null && threads > peak) {
                peak = threads;
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sampling; the peak seen, the sampler's own thread not counted. */
    int stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        return (int) Math.max(0, peak - 1);
    }
}

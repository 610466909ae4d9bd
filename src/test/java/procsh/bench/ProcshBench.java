package procsh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.OutputChannel;
import procsh.core.Sender;
import procsh.core.SessionContext;
import procsh.core.SessionDirectory;
import procsh.core.SpawnRequest;
import procsh.os.Backends;

/**
 * procsh's side of the benchmark suite (src/bench/run drives it): one workload per JVM, timed
 * through the table's public API only, after a warm-up, JVM start excluded. Prints result lines
 * in the format every peer (src/bench/peer.*) prints, which {@link BenchReport} aggregates:
 * <pre>R &lt;tab&gt; workload &lt;tab&gt; metric &lt;tab&gt; unit &lt;tab&gt; sample sample ...</pre>
 * Times are in microseconds, memory in kB, so no harness has to agree on anything else.
 */
public final class ProcshBench {

    private final JobTable table;
    private final Map<String, String> args;
    private final int n;
    /** Warm-up count (spawns, sleepers or kills before the measured ones); the runner passes the same to every peer. */
    private final int warmup;

    private ProcshBench(JobTable table, Map<String, String> args) {
        this.table = table;
        this.args = args;
        this.n = Integer.parseInt(args.getOrDefault("n", "1000"));
        this.warmup = Integer.parseInt(args.getOrDefault("warmup", "1000"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchIo.parseArgs(argv);
        String backend = args.getOrDefault("backend", "native");
        Path tmp = Path.of(args.getOrDefault("tmp", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(tmp);
        // As TableFixture does: a private state dir, the process's own environment (which carries
        // the runner's marker, so the runner can find anything left behind).
        JobTable table = new JobTable(Backends.byName(backend), SessionDirectory.create(tmp.resolve("state")),
                new SessionContext(tmp, System.getenv()));
        table.defaultGrace(Duration.ofSeconds(2));
        BenchIo.info("backend", table.backend().name());
        BenchIo.info("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
        ProcshBench bench = new ProcshBench(table, args);
        try {
            switch (args.getOrDefault("workload", "spawn")) {
                case "spawn" -> bench.spawnAndReap();
                case "fanout" -> bench.fanOut();
                case "stopall" -> bench.stopAllApi();
                case "kill" -> bench.killLatency();
                case "poll" -> bench.pollPass();
                case "capture" -> bench.capture();
                default -> throw new IllegalArgumentException("unknown workload " + args.get("workload"));
            }
        } finally {
            // Ended jobs make close() scan /proc once per job; the benchmark does not time close.
            table.clean();
            table.defaultGrace(Duration.ofMillis(500));
            table.close();
        }
    }

    private Job spawn(String... argv) {
        return table.spawn(SpawnRequest.of(argv));
    }

    private void await(Job job) throws InterruptedException {
        table.waitFor(job, null);
    }

    private void expect(Job job, String ending) {
        String seen = job.ending() == null ? "running" : job.ending().describe();
        if (!seen.equals(ending)) {
            BenchIo.warn("job " + job.id() + " (" + job.commandLine() + "): expected '" + ending + "', saw '" + seen + "'");
        }
    }

    /** Workload 1: start and reap /bin/true, one after another. */
    private void spawnAndReap() throws InterruptedException {
        for (int i = 0; i < warmup; i++) {
            Job job = spawn("/bin/true");
            await(job);
            expect(job, "exited 0");
        }
        table.clean();
        double[] us = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Job job = spawn("/bin/true");
            await(job);
            us[i] = (System.nanoTime() - t0) / 1e3;
            expect(job, "exited 0");
        }
        BenchIo.result("spawn", "per-process", "us", us);
        // procsh always writes each job's stdout and stderr to two new files: the same figure
        // stands against the peers' run that does that too.
        BenchIo.result("spawn", "per-process-files", "us", us);
    }

    /** Workload 2: start N sleeps at once, note threads and memory, then terminate them all and wait. */
    private void fanOut() throws InterruptedException, IOException {
        ThreadSampler sampler = ThreadSampler.start();
        warmUpSleepers(warmup);
        String key = "fanout-" + n;
        List<Job> jobs = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            jobs.add(spawn("sleep", "1000"));
        }
        long t1 = System.nanoTime();
        Map<String, Long> live = BenchIo.selfStatus();
        long t2 = System.nanoTime();
        for (Job job : jobs) {
            table.terminate(job);
        }
        table.waitFor(jobs, null, false);
        long t3 = System.nanoTime();
        int peakThreads = sampler.stop();
        jobs.forEach(j -> expect(j, "killed by SIGTERM (-15), sent by you"));
        Map<String, Long> end = BenchIo.selfStatus();
        BenchIo.result(key, "start-all", "us", (t1 - t0) / 1e3);
        BenchIo.result(key, "stop-all", "us", (t3 - t2) / 1e3);
        long liveThreads = live.get("Threads") - 1; // the sampler's own thread does not count
        BenchIo.result(key, "threads-live", "n", liveThreads);
        BenchIo.result(key, "peak-threads", "n", Math.max(peakThreads, liveThreads));
        BenchIo.result(key, "rss-live", "kB", live.get("VmRSS"));
        BenchIo.result(key, "peak-rss", "kB", end.get("VmHWM"));
    }

    /** The same fan-out, stopped the way the console's "stop all" does: {@link JobTable#stopAll}. */
    private void stopAllApi() throws InterruptedException {
        warmUpSleepers(warmup);
        List<Job> jobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            jobs.add(spawn("sleep", "1000"));
        }
        long t0 = System.nanoTime();
        table.stopAll(Duration.ofSeconds(5), Sender.USER);
        long t1 = System.nanoTime();
        jobs.forEach(j -> expect(j, "killed by SIGTERM (-15), sent by you"));
        BenchIo.result("stopall-" + n, "stop-all-api", "us", (t1 - t0) / 1e3);
    }

    private void warmUpSleepers(int count) throws InterruptedException {
        List<Job> warm = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            warm.add(spawn("sleep", "1000"));
        }
        warm.forEach(table::terminate);
        table.waitFor(warm, null, false);
        table.clean();
    }

    /** Workload 3: SIGKILL sent to a settled sleeper, until its end is observed. */
    private void killLatency() throws InterruptedException, IOException {
        double[] us = new double[n];
        try (Turns turns = Turns.from(args)) {
            for (int i = -warmup; i < n; i++) {
                turns.take();
                double sample = killOnce();
                turns.pass();
                if (i >= 0) {
                    us[i] = sample;
                }
            }
        }
        BenchIo.result("kill", "kill-to-exit", "us", us);
    }

    /** One sample: microseconds from SIGKILL to the end observed. */
    private double killOnce() throws InterruptedException {
        Job job = spawn("sleep", "1000");
        Thread.sleep(5); // let it reach its sleep, as every peer does
        long t0 = System.nanoTime();
        table.kill(job);
        await(job);
        long t1 = System.nanoTime();
        expect(job, "killed by SIGKILL (-9), sent by you");
        return (t1 - t0) / 1e3;
    }

    /** Workload 4: one poll of every one of N live jobs. */
    private void pollPass() throws InterruptedException {
        int passes = Integer.parseInt(args.getOrDefault("reps", "20"));
        List<Job> jobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            jobs.add(spawn("sleep", "1000"));
        }
        Thread.sleep(200);
        double[] poll = new double[passes];
        double[] alive = new double[passes];
        int notRunning = 0;
        for (int p = -5; p < passes; p++) {
            long t0 = System.nanoTime();
            for (Job job : jobs) {
                if (!table.poll(job).equals("running")) {
                    notRunning++;
                }
            }
            long t1 = System.nanoTime();
            for (Job job : jobs) {
                if (!job.isAlive()) {
                    notRunning++;
                }
            }
            long t2 = System.nanoTime();
            if (p >= 0) {
                poll[p] = (t1 - t0) / 1e3;
                alive[p] = (t2 - t1) / 1e3;
            }
        }
        if (notRunning > 0) {
            BenchIo.warn(notRunning + " polls did not answer 'running'");
        }
        jobs.forEach(table::terminate);
        table.waitFor(jobs, null, false);
        BenchIo.result("poll", "poll-pass", "us", poll);
        BenchIo.result("poll", "isalive-pass", "us", alive);
    }

    /** Workload 5: a job writes B bytes to its stdout, which procsh sends to its log file. */
    private void capture() throws InterruptedException, IOException {
        long bytes = Long.parseLong(args.getOrDefault("bytes", Long.toString(200L << 20)));
        int reps = Integer.parseInt(args.getOrDefault("reps", "3"));
        captureOnce(Math.min(bytes, 16L << 20));
        double[] mbps = new double[reps];
        for (int r = 0; r < reps; r++) {
            mbps[r] = captureOnce(bytes);
        }
        BenchIo.result("capture", "throughput", "MBps", mbps);
        BenchIo.result("capture", "peak-rss", "kB", BenchIo.selfStatus().get("VmHWM"));
    }

    private double captureOnce(long bytes) throws InterruptedException, IOException {
        long t0 = System.nanoTime();
        Job job = spawn("head", "-c", Long.toString(bytes), "/dev/zero");
        await(job);
        long t1 = System.nanoTime();
        expect(job, "exited 0");
        long size = job.output().written(OutputChannel.STDOUT);
        if (size != bytes) {
            BenchIo.warn("captured " + size + " bytes, expected " + bytes);
        }
        // Each run's output would otherwise pile up in the state dir (remove deletes a job's files).
        table.remove(job);
        return bytes / (double) (1 << 20) / ((t1 - t0) / 1e9);
    }
}

package procsh.bench;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import procsh.command.MergedLines;
import procsh.command.Style;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.LogFollower;
import procsh.core.OutputChannel;
import procsh.core.RestartPolicy;
import procsh.core.SessionContext;
import procsh.core.SessionDirectory;
import procsh.core.SpawnRequest;
import procsh.os.Backends;

/**
 * The supervisor figures (src/bench/supervisor runs it): how soon a restart policy starts a job
 * again, against a shell loop doing the same; and what following four fast writers costs procsh
 * in memory, with the count of lines written against lines read across log rotations.
 */
public final class SupervisorBench {

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchIo.parseArgs(argv);
        Path tmp = Files.createDirectories(Path.of(args.getOrDefault("tmp", "target/bench-supervisor")));
        JobTable table = new JobTable(Backends.byName("native"), SessionDirectory.create(tmp.resolve("state")),
                new SessionContext(tmp, System.getenv()));
        try {
            restartLatency(table, Integer.parseInt(args.getOrDefault("restarts", "300")));
            follow(table, Integer.parseInt(args.getOrDefault("seconds", "12")), Integer.parseInt(args.getOrDefault("mbps", "10")));
        } finally {
            table.defaultGrace(Duration.ofMillis(500));
            table.close();
        }
    }

    /**
     * Each run prints its start (CLOCK_REALTIME, ns) and fails; with no backoff the gap between two
     * starts is one run plus procsh's restart. The same runs from a shell loop give the floor.
     */
    private static void restartLatency(JobTable table, int restarts) throws Exception {
        String run = "date +%s%N; exit 1";
        RestartPolicy policy = RestartPolicy.of(RestartPolicy.Mode.ON_FAILURE).maxRestarts(restarts).backoff("0ms");
        Job job = table.spawn(SpawnRequest.of("sh", "-c", run).restart(policy));
        table.waitFor(job, Duration.ofMinutes(5));
        double[] procsh = gaps(job.output().lines(OutputChannel.STDOUT));
        Job loop = table.spawn(SpawnRequest.of("sh", "-c", "i=0; while [ $i -le " + restarts + " ]; do sh -c '" + run + "'; i=$((i+1)); done"));
        table.waitFor(loop, Duration.ofMinutes(5));
        double[] shell = gaps(loop.output().lines(OutputChannel.STDOUT));
        BenchIo.result("restart", "start-to-start procsh", "us", procsh);
        BenchIo.result("restart", "start-to-start sh loop", "us", shell);
        System.out.printf("restart: %d runs; start to next start, median: procsh %.0f us, sh loop %.0f us (p90 %.0f / %.0f)%n",
                procsh.length, median(procsh), median(shell), p90(procsh), p90(shell));
        table.clean();
    }

    private static double[] gaps(List<String> starts) {
        double[] g = new double[starts.size() - 1];
        for (int i = 1; i < starts.size(); i++) {
            g[i - 1] = (Long.parseLong(starts.get(i).strip()) - Long.parseLong(starts.get(i - 1).strip())) / 1e3;
        }
        return g;
    }

    /** Four jobs writing numbered lines at {@code mbps} MB/s each, followed as one merged stream for {@code seconds}. */
    private static void follow(JobTable table, int seconds, int mbps) throws Exception {
        // 100-byte lines, mbps * 100 of them every 10 ms.
        String writer = "import sys,time\n"
                + "n=0; end=time.time()+" + seconds + "; per=" + (mbps * 100) + "\n"
                + "while time.time()<end:\n"
                + "    t=time.time(); out=[]\n"
                + "    for _ in range(per): out.append('%09d %s\\n' % (n, 'x'*89)); n+=1\n"
                + "    sys.stdout.write(''.join(out)); sys.stdout.flush(); time.sleep(max(0, 0.01-(time.time()-t)))\n"
                + "print('%09d end' % n)\n";
        System.gc();
        long rssBefore = BenchIo.selfStatus().get("VmRSS");
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobs.add(table.spawn(SpawnRequest.of("python3", "-c", writer).name("w" + i)));
        }
        Map<Integer, long[]> seen = new ConcurrentHashMap<>(); // per job: lines read, out-of-order lines
        AtomicLong peak = new AtomicLong();
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        MergedLines printer = new MergedLines(sink, new Style(false), false, jobs);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(BenchIo.selfStatus().get("VmRSS"), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long t0 = System.nanoTime();
        new LogFollower(() -> jobs, EnumSet.of(OutputChannel.STDOUT)).run(-1, (job, c, line) -> {
            printer.line(job, c, line);
            long[] s = seen.computeIfAbsent(job.id(), k -> new long[2]);
            if (!line.endsWith(" end") && Long.parseLong(line.substring(0, 9)) != s[0]) {
                s[1]++;
            }
            s[0]++;
        }, () -> jobs.stream().allMatch(Job::hasEnded));
        double secondsTaken = (System.nanoTime() - t0) / 1e9;
        sampler.interrupt();
        sampler.join();
        long written = 0;
        long read = 0;
        long misordered = 0;
        long rotations = 0;
        for (Job job : jobs) {
            List<String> last = job.output().tail(OutputChannel.STDOUT, 1);
            long lines = Long.parseLong(last.get(0).substring(0, 9)) + 1; // numbered lines plus the end line
            written += lines;
            long[] s = seen.getOrDefault(job.id(), new long[2]);
            read += s[0];
            misordered += s[1];
            rotations += job.output().rotations(OutputChannel.STDOUT);
        }
        long bytes = jobs.stream().mapToLong(j -> j.output().written(OutputChannel.STDOUT)).sum();
        System.out.printf("follow: 4 jobs, %.0f MB in %.1f s (%.1f MB/s each); lines written %d, read %d, out of order %d;"
                        + " %d rotations; procsh RSS %d MB before, peak %d MB while following%n",
                bytes / 1e6, secondsTaken, bytes / 1e6 / secondsTaken / 4, written, read, misordered, rotations,
                rssBefore / 1024, peak.get() / 1024);
        BenchIo.result("follow", "rss-peak", "kB", peak.get());
        table.clean();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double p90(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) (s.length * 0.9)];
    }
}

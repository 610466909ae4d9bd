package procsh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.SessionContext;
import procsh.core.SessionDirectory;
import procsh.core.SpawnRequest;
import procsh.os.Backends;
import procsh.remote.SshLauncher;
import procsh.testing.Sshd;

/**
 * Remote job figures (src/bench/remote runs it) against a throwaway sshd on 127.0.0.1: start+reap
 * of a remote {@code true} against {@code ssh HOST true} through the same master connection (and a
 * local job), SIGKILL to the end seen here, and 100 remote sleeps at once on one connection.
 */
public final class RemoteBench {

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchIo.parseArgs(argv);
        int n = Integer.parseInt(args.getOrDefault("n", "100"));
        Path tmp = Files.createDirectories(Path.of(args.getOrDefault("tmp", "target/bench-remote")));
        if (Sshd.missing() != null) {
            System.out.println(Sshd.missing());
            return;
        }
        try (Sshd sshd = Sshd.start(tmp.resolve("sshd"))) {
            System.setProperty("procsh.ssh.config", sshd.clientConfig().toString());
            JobTable table = new JobTable(Backends.byName("native"), SessionDirectory.create(tmp.resolve("state")),
                    new SessionContext(tmp, System.getenv()));
            try {
                run(table, n);
            } finally {
                table.defaultGrace(Duration.ofSeconds(2));
                table.close();
            }
        }
    }

    private static void run(JobTable table, int n) throws Exception {
        String host = "127.0.0.1";
        long t0 = System.nanoTime();
        table.waitFor(table.spawn(SpawnRequest.of("true").host(host)), Duration.ofMinutes(1));
        System.out.printf("first remote job (ssh connect + agent JVM start + job): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        SshLauncher launcher = (SshLauncher) table.hosts().get(0);
        for (int i = 0; i < 20; i++) { // warm up both paths
            table.waitFor(table.spawn(SpawnRequest.of("true").host(host)), Duration.ofMinutes(1));
            table.waitFor(table.spawn(SpawnRequest.of("true")), Duration.ofMinutes(1));
        }
        double[] remote = new double[n];
        double[] local = new double[n];
        double[] ssh = new double[n];
        List<String> sshTrue = launcher.sharedSsh("true");
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            table.waitFor(table.spawn(SpawnRequest.of("true").host(host)), Duration.ofMinutes(1));
            remote[i] = (System.nanoTime() - s) / 1e6;
            s = System.nanoTime();
            table.waitFor(table.spawn(SpawnRequest.of("true")), Duration.ofMinutes(1));
            local[i] = (System.nanoTime() - s) / 1e6;
            s = System.nanoTime();
            new ProcessBuilder(sshTrue).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            ssh[i] = (System.nanoTime() - s) / 1e6;
        }
        System.out.printf("start+reap `true` (N=%d), median [p90] ms: remote job %s, `ssh host true` via the same master %s, local job %s%n",
                n, med(remote), med(ssh), med(local));
        double[] kill = new double[n / 2];
        for (int i = 0; i < kill.length; i++) {
            Job job = table.spawn(SpawnRequest.of("sleep", "30").host(host));
            long s = System.nanoTime();
            table.kill(job);
            job.whenEnded().get();
            kill[i] = (System.nanoTime() - s) / 1e6;
        }
        System.out.printf("kill -9 to the end seen here, remote sleep (N=%d): median [p90] %s ms%n", kill.length, med(kill));
        table.clean();
        long s = System.nanoTime();
        List<Job> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(table.spawn(SpawnRequest.of("sleep", "30").host(host)));
        }
        double spawned = (System.nanoTime() - s) / 1e6;
        long threads = Thread.getAllStackTraces().size();
        s = System.nanoTime();
        many.forEach(table::kill);
        table.waitFor(many, Duration.ofMinutes(1), false);
        double killed = (System.nanoTime() - s) / 1e6;
        long running = many.stream().filter(Job::isAlive).count();
        System.out.printf("100 remote sleeps on one connection: spawned in %.0f ms, %d threads in procsh meanwhile, all killed and reported in %.0f ms"
                + " (%d left running); hosts: %s %s%n", spawned, threads, killed, running, launcher.host(), launcher.state());
    }

    private static String med(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return String.format("%.2f [%.2f]", s[s.length / 2], s[(int) (s.length * 0.9)]);
    }
}

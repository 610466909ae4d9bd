package procsh.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import procsh.command.JsonOutput;
import procsh.core.Job;
import procsh.core.JobListener;
import procsh.core.JobTable;
import procsh.core.OutputChannel;
import procsh.core.SessionContext;
import procsh.core.SessionDirectory;
import procsh.core.SpawnRequest;
import procsh.os.Backends;
import procsh.remote.Agent;
import procsh.remote.SshLauncher;
import procsh.testing.Sshd;

/**
 * Remote job figures (src/bench/remote runs it) against a throwaway sshd on 127.0.0.1: the first
 * connection and what it is made of (ssh, relay JVM, agent JVM), start+reap of a remote
 * {@code true} against {@code ssh HOST true} through the same master connection (and a local job),
 * SIGKILL to the end seen here, 100 remote sleeps at once on one connection, and a dropped
 * connection: its ssh client killed under jobs that write, the time until they are followed again,
 * and whether every line arrived once and in order. Ends by looking for agent processes left over.
 */
public final class RemoteBench {

    private static final String HOST = "127.0.0.1";
    private static final Duration WAIT = Duration.ofMinutes(1);

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchIo.parseArgs(argv);
        int n = Integer.parseInt(args.getOrDefault("n", "100"));
        int rounds = Integer.parseInt(args.getOrDefault("rounds", "7"));
        int writers = Integer.parseInt(args.getOrDefault("writers", "10"));
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
                firstConnection(table, sshd);
                SshLauncher launcher = (SshLauncher) table.hosts().get(0);
                relayProbes(launcher, 5);
                startReap(table, launcher, n);
                killLatency(table, n / 2);
                manySleeps(table, launcher);
                reconnects(table, launcher, rounds, writers, false);
                reconnects(table, launcher, rounds, writers, true);
            } finally {
                table.defaultGrace(Duration.ofSeconds(2));
                table.close();
            }
        }
        leftovers();
    }

    // ---------------------------------------------------------------- first connection

    /** A fresh ssh login (no master) a few times, then the first remote job, which also pays for it. */
    private static void firstConnection(JobTable table, Sshd sshd) throws Exception {
        double[] login = new double[5];
        for (int i = 0; i < login.length; i++) {
            long s = System.nanoTime();
            run(List.of("ssh", "-F", sshd.clientConfig().toString(), "-o", "ControlMaster=no", "-o", "ControlPath=none", HOST, "true"));
            login[i] = ms(s);
        }
        long t0 = System.nanoTime();
        table.waitFor(table.spawn(SpawnRequest.of("true").host(HOST)), WAIT);
        System.out.printf("first remote job (ssh connect + relay JVM + agent JVM + job): %.0f ms; a fresh `ssh host true` alone (N=%d): %s ms%n",
                ms(t0), login.length, med(login));
    }

    /**
     * The relay's own cost, through the session's master as a reconnection goes: ssh to hello's
     * answer with a new agent id (the relay starts an agent: both JVMs) and again with that agent
     * running (the relay alone, what every reconnection pays).
     */
    private static void relayProbes(SshLauncher launcher, int rounds) throws Exception {
        double[] withAgent = new double[rounds];
        double[] relayOnly = new double[rounds * 2];
        for (int r = 0; r < rounds; r++) {
            String id = "bench-probe-" + ProcessHandle.current().pid() + "-" + r;
            List<Process> relays = new ArrayList<>();
            withAgent[r] = hello(launcher, id, relays);
            relayOnly[2 * r] = hello(launcher, id, relays);
            relayOnly[2 * r + 1] = hello(launcher, id, relays);
            bye(relays.get(relays.size() - 1));
            for (Process p : relays) { // the agent closed the older relays when the newer said hello
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    BenchIo.warn("relay " + p.pid() + " of " + id + " did not end");
                    p.destroyForcibly();
                }
            }
        }
        System.out.printf("ssh via the master to hello's answer, median [p90] ms: relay + new agent (N=%d) %s, relay to a running agent (N=%d) %s%n",
                withAgent.length, med(withAgent), relayOnly.length, med(relayOnly));
    }

    /** Starts a relay to agent {@code id} over the master and times it to hello's answer. */
    private static double hello(SshLauncher launcher, String id, List<Process> relays) throws IOException {
        String remote = System.getenv().getOrDefault("PROCSH_REMOTE", "procsh");
        long s = System.nanoTime();
        Process p = new ProcessBuilder(launcher.sharedSsh(remote + " --agent --session " + id))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        relays.add(p);
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("op", "hello");
        hello.put("tag", 1);
        hello.put("version", Agent.PROTOCOL);
        hello.put("linger_ms", 10_000); // a probe that goes wrong leaves no agent for long
        hello.put("jobs", List.of());
        send(p, hello);
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.contains("\"re\":\"hello\"")) {
                return ms(s);
            }
        }
        throw new IOException("relay for " + id + " ended without answering hello");
    }

    private static void bye(Process relay) throws IOException {
        send(relay, Map.of("op", "bye", "tag", 2, "keep", false));
        relay.getOutputStream().close();
    }

    private static void send(Process p, Map<String, Object> request) throws IOException {
        OutputStream out = p.getOutputStream();
        out.write((JsonOutput.write(request) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ---------------------------------------------------------------- jobs on a live connection

    private static void startReap(JobTable table, SshLauncher launcher, int n) throws Exception {
        for (int i = 0; i < 20; i++) { // warm up both paths
            table.waitFor(table.spawn(SpawnRequest.of("true").host(HOST)), WAIT);
            table.waitFor(table.spawn(SpawnRequest.of("true")), WAIT);
        }
        double[] remote = new double[n];
        double[] local = new double[n];
        double[] ssh = new double[n];
        List<String> sshTrue = launcher.sharedSsh("true");
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            table.waitFor(table.spawn(SpawnRequest.of("true").host(HOST)), WAIT);
            remote[i] = ms(s);
            s = System.nanoTime();
            table.waitFor(table.spawn(SpawnRequest.of("true")), WAIT);
            local[i] = ms(s);
            s = System.nanoTime();
            run(sshTrue);
            ssh[i] = ms(s);
        }
        System.out.printf("start+reap `true` (N=%d), median [p90] ms: remote job %s, `ssh host true` via the same master %s, local job %s%n",
                n, med(remote), med(ssh), med(local));
        // Every run here has ended: the launcher should follow none (a reconnection would ask the agent for them).
        if (launcher.jobs() != 0) {
            BenchIo.warn("the launcher still follows " + launcher.jobs() + " remote runs after all ended");
        }
    }

    private static void killLatency(JobTable table, int n) throws Exception {
        double[] kill = new double[n];
        for (int i = 0; i < kill.length; i++) {
            Job job = table.spawn(SpawnRequest.of("sleep", "30").host(HOST));
            long s = System.nanoTime();
            table.kill(job);
            job.whenEnded().get();
            kill[i] = ms(s);
        }
        System.out.printf("kill -9 to the end seen here, remote sleep (N=%d): median [p90] %s ms%n", kill.length, med(kill));
        table.clean();
    }

    private static void manySleeps(JobTable table, SshLauncher launcher) throws Exception {
        long s = System.nanoTime();
        List<Job> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(table.spawn(SpawnRequest.of("sleep", "30").host(HOST)));
        }
        double spawned = ms(s);
        long threads = Thread.getAllStackTraces().size();
        s = System.nanoTime();
        many.forEach(table::kill);
        table.waitFor(many, WAIT, false);
        double killed = ms(s);
        long running = many.stream().filter(Job::isAlive).count();
        System.out.printf("100 remote sleeps on one connection: spawned in %.0f ms, %d threads in procsh meanwhile, all killed and reported in %.0f ms"
                + " (%d left running); hosts: %s %s%n", spawned, threads, killed, running, launcher.host(), launcher.state());
        table.clean();
    }

    // ---------------------------------------------------------------- dropped connection

    /** When the host went and came back, as the table's listeners hear it. */
    private static final class HostWatch implements JobListener {
        volatile CountDownLatch back = new CountDownLatch(1);
        volatile long lostAt;
        volatile long backAt;
        volatile int readopted;
        volatile int gone;

        @Override
        public void jobEnded(Job job) {
        }

        @Override
        public void hostLost(String host, int jobs) {
            lostAt = System.nanoTime();
        }

        @Override
        public void hostBack(String host, int readopted, int gone) {
            this.readopted = readopted;
            this.gone = gone;
            backAt = System.nanoTime();
            back.countDown();
        }
    }

    /**
     * Rounds of: {@code writers} jobs printing a numbered line every 10 ms for about 3 s; once each
     * has written some, the ssh client is killed (with {@code master}, the master connection too); then the time to hostBack (split at the moment the
     * launcher starts its reconnection, 500 ms after it saw the loss), and each job's local log
     * checked to hold every line once, in order.
     */
    private static void reconnects(JobTable table, SshLauncher launcher, int rounds, int writers, boolean master) throws Exception {
        HostWatch watch = new HostWatch();
        table.addListener(watch);
        double[] toBack = new double[rounds];
        double[] toLost = new double[rounds];
        double[] retryWait = new double[rounds];
        double[] reconnect = new double[rounds];
        int badJobs = 0;
        for (int r = 0; r < rounds; r++) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                // perl: a 10 ms sleep without a fork per line, and a flush per line.
                jobs.add(table.spawn(SpawnRequest.of("perl", "-e",
                        "$|=1; for $i (0..299) { print \"$i\\n\"; select(undef, undef, undef, 0.01) }").host(HOST)));
            }
            awaitOutput(jobs, 200);
            watch.back = new CountDownLatch(1);
            long kill = drop(launcher, master);
            long reconnecting = awaitBack(launcher, watch);
            toBack[r] = (watch.backAt - kill) / 1e6;
            toLost[r] = (watch.lostAt - kill) / 1e6;
            retryWait[r] = (reconnecting - watch.lostAt) / 1e6;
            reconnect[r] = (watch.backAt - reconnecting) / 1e6;
            if (watch.readopted != writers || watch.gone != 0) {
                BenchIo.warn("round " + r + ": hostBack readopted " + watch.readopted + " of " + writers + ", gone " + watch.gone);
            }
            if (!table.waitFor(jobs, WAIT, false).running().isEmpty()) {
                BenchIo.warn("round " + r + ": writers still running after " + WAIT);
            }
            badJobs += checkLines(r, jobs, 300);
            table.clean();
        }
        table.removeListener(watch);
        System.out.printf("%s killed under %d writers (N=%d rounds), median [p90] ms: kill to hostBack %s = kill to hostLost %s"
                + " + first-retry wait %s + reconnect to hello %s; jobs with lines lost, doubled or out of order: %d of %d%n",
                master ? "ssh client and master" : "ssh client (master kept)", writers, rounds, med(toBack), med(toLost), med(retryWait),
                med(reconnect), badJobs, rounds * writers);
    }

    /** SIGKILLs the connection's ssh client (and the master); returns when. */
    private static long drop(SshLauncher launcher, boolean master) throws IOException, InterruptedException {
        long masterPid = master ? masterPid(launcher) : -1;
        long kill = System.nanoTime();
        if (master) {
            ProcessHandle.of(masterPid).ifPresent(ProcessHandle::destroyForcibly);
        }
        ProcessHandle.of(launcher.connectionPid()).ifPresent(ProcessHandle::destroyForcibly);
        return kill;
    }

    /**
     * The master connection's ssh (ControlPersist forks it off the first client): killing it too
     * makes the reconnection log in again, as after a real network loss.
     */
    private static long masterPid(SshLauncher launcher) throws IOException, InterruptedException {
        List<String> check = new ArrayList<>(launcher.sharedSsh());
        check.addAll(check.indexOf("--"), List.of("-O", "check"));
        Process p = new ProcessBuilder(check).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(said);
        if (!m.find()) {
            throw new IllegalStateException("no master connection: " + said.strip());
        }
        return Long.parseLong(m.group(1));
    }

    /** Until every job has sent at least {@code bytes} here: the kill then lands mid-stream. */
    private static void awaitOutput(List<Job> jobs, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (jobs.stream().anyMatch(j -> j.output().sizes().get(OutputChannel.STDOUT) < bytes)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("writers wrote nothing for " + WAIT);
            }
            Thread.sleep(5);
        }
    }

    /**
     * Waits for hostBack, meanwhile watching the launcher's state for the moment it starts
     * connecting again (no event says so); returns that moment.
     */
    private static long awaitBack(SshLauncher launcher, HostWatch watch) throws InterruptedException {
        long reconnecting = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!watch.back.await(1, TimeUnit.MILLISECONDS)) {
            if (reconnecting == 0 && "reconnecting".equals(launcher.state())) {
                reconnecting = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no hostBack within " + WAIT + "; host state: " + launcher.state());
            }
        }
        return reconnecting == 0 ? watch.backAt : reconnecting;
    }

    /** Each job's log must be 0..count-1, one a line; says how it is not. Returns the jobs that fail. */
    private static int checkLines(int round, List<Job> jobs, int count) {
        int bad = 0;
        for (Job job : jobs) {
            List<String> lines = job.output().lines(OutputChannel.STDOUT);
            String why = job.ending().code() != 0 ? "ended " + job.ending().describe() : lineProblem(lines, count);
            if (why != null) {
                bad++;
                BenchIo.warn("round " + round + ", job " + job.id() + ": " + why);
            }
        }
        return bad;
    }

    private static String lineProblem(List<String> lines, int count) {
        for (int i = 0; i < Math.min(lines.size(), count); i++) {
            if (!lines.get(i).equals(Integer.toString(i))) {
                return "line " + i + " is '" + lines.get(i) + "' (" + lines.size() + " lines; around it: "
                        + lines.subList(Math.max(0, i - 2), Math.min(lines.size(), i + 3)) + ")";
            }
        }
        return lines.size() == count ? null : lines.size() + " lines, not " + count;
    }

    // ---------------------------------------------------------------- after

    /** Agents (or relays) of this bench still running once the session and sshd have closed. */
    private static void leftovers() throws InterruptedException {
        String self = "procsh-" + ProcessHandle.current().pid() + "-";
        String probe = "bench-probe-" + ProcessHandle.current().pid() + "-";
        List<String> left = List.of();
        for (int i = 0; i < 50; i++) { // an agent ends a moment after its bye
            left = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("--agent") && (c.contains(self) || c.contains(probe))).orElse(false))
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                    .toList();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        System.out.printf("agent processes (daemons, relays, their ssh) left once the session closed (waited up to 5 s): %d%n", left.size());
        left.forEach(l -> BenchIo.warn("left running: " + l));
    }

    // ---------------------------------------------------------------- helpers

    private static void run(List<String> command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static String med(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return String.format("%.2f [%.2f]", s[s.length / 2], s[(int) (s.length * 0.9)]);
    }
}

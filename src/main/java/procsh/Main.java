package procsh;

import java.time.Duration;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.SpawnRequest;

/** Entry point. Until the console lands, a short demonstration of the process table. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        try (JobTable table = JobTable.open()) {
            System.out.println("procsh " + version() + " (backend: " + table.backend().name() + ", logs in "
                    + table.directory().root() + ")");
            Job sleeper = table.spawn(SpawnRequest.of("sleep", "30").name("sleeper"));
            Job failing = table.spawn(SpawnRequest.of("sh", "-c", "echo working; exit 3"));
            print(sleeper);
            print(failing);
            System.out.println("wait 2 --timeout 2s: " + table.waitFor(failing, Duration.ofSeconds(2)).describe());
            System.out.println("wait 1 --timeout 200ms: " + table.waitFor(sleeper, Duration.ofMillis(200)).describe());
            table.kill(sleeper);
            table.waitFor(sleeper, Duration.ofSeconds(2));
            System.out.println("poll 1: " + table.poll(sleeper));
            System.out.println("logs 2: " + failing.output().tail(procsh.core.OutputChannel.STDOUT, 10));
        }
    }

    private static void print(Job job) {
        System.out.println("[" + job.id() + "] " + job.pid() + " " + job.commandLine());
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}

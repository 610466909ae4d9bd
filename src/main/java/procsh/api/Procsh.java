package procsh.api;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import procsh.command.CommandRunner;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.SpawnRequest;

/**
 * The entry point for Java snippets ({@code java ...} at the prompt): the session's table and
 * command line, as static methods. Snippets see {@code procsh.api.*} and {@code procsh.core.*}
 * imported.
 *
 * <pre>
 * java var j = Procsh.spawn("sleep", "5")
 * java j.pid()
 * java Procsh.table().waitFor(j, java.time.Duration.ofSeconds(10)).describe()
 * java Procsh.sh("kill " + j.id() + " -TERM")
 * </pre>
 */
public final class Procsh {

    private static volatile JobTable table;
    private static volatile CommandRunner commands;

    private Procsh() {
    }

    /** Called by procsh when a session starts; snippets never need to. */
    public static void attach(JobTable sessionTable, CommandRunner sessionCommands) {
        table = sessionTable;
        commands = sessionCommands;
    }

    /** The session's process table. */
    public static JobTable table() {
        JobTable t = table;
        if (t == null) {
            throw new IllegalStateException("no procsh session is running in this JVM");
        }
        return t;
    }

    /** Spawns a job, as {@code spawn PROGRAM ARGS...} does. */
    public static Job spawn(String... argv) {
        return table().spawn(SpawnRequest.of(argv));
    }

    /** A job by id, %id or name. */
    public static Job job(String ref) {
        return table().get(ref);
    }

    /** Runs a console command line, printing what it prints; returns its exit status. */
    public static int sh(String line) throws InterruptedException {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        return commands.run(line, out, out);
    }
}

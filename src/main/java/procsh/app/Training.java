package procsh.app;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.impl.DumbTerminal;
import procsh.command.ShellSession;
import procsh.console.Console;
import procsh.core.JobTable;
import procsh.core.SessionContext;
import procsh.core.SessionDirectory;
import procsh.os.Backends;

/**
 * The class-data-sharing training run ({@code procsh --train-cds}, run by the build and by the
 * launcher under {@code -XX:ArchiveClassesAtExit}): walks the paths a user takes at start-up so
 * that their classes are in the archive. Writes nothing outside a temporary directory.
 */
public final class Training {

    private Training() {
    }

    public static int run() throws IOException, InterruptedException {
        // procsh's own options, parsed as a -c run parses them.
        procsh.Main.commandLine().parseArgs("-c", "spawn true", "--backend", "auto", "script.groovy", "arg");
        Path temp = Files.createTempDirectory("procsh-train");
        try {
            JobTable table = new JobTable(Backends.choose(), SessionDirectory.create(temp.resolve("state")),
                    new SessionContext(temp, System.getenv()));
            table.defaultGrace(Duration.ofMillis(200));
            ProcshSession session = Sessions.withEngines(new ProcshSession(table, new ShellSession(table, true, true, () -> 100)));
            StringWriter sink = new StringWriter();
            PrintWriter out = new PrintWriter(sink);
            for (String line : new String[] {"spawn true", "wait 1", "spawn sleep 5", "list", "list --json", "poll 1 2", "info 2",
                    "kill 2 -TERM", "wait 2", "kill -l", "help", "help kill", "logs 1", "stop 2", "lsit",
                    "def p = spawn('true'); p.waitFor(); p.exitCode"}) {
                session.run(line, out, out);
            }
            ByteArrayInputStream keys = new ByteArrayInputStream("help\nlist\nkil\t1\nexit\n".getBytes(StandardCharsets.UTF_8));
            DumbTerminal terminal = new DumbTerminal("train", "ansi", keys, new ByteArrayOutputStream(), StandardCharsets.UTF_8);
            terminal.setSize(new Size(100, 30));
            Attributes attributes = terminal.getAttributes();
            attributes.setControlChar(Attributes.ControlChar.VINTR, 3);
            attributes.setControlChar(Attributes.ControlChar.VEOF, 4);
            terminal.setAttributes(attributes);
            return new Console(session, terminal, temp.resolve("history")).run();
        } finally {
            deleteTree(temp);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

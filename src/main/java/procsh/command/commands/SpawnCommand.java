package procsh.command.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.core.Job;
import procsh.command.Sizes;
import procsh.core.ProcshException;
import procsh.core.RestartPolicy;
import procsh.core.SpawnRequest;

@Command(name = "spawn", aliases = {"run"},
        description = "Start a program as a background job, without a shell.",
        footerHeading = "%nExamples:%n",
        footer = {"  spawn python script.py", "  spawn --name web --env PORT=8080 --cwd ~/app node server.js",
                "  spawn --timeout 30s --stdin ./worker.sh", "  spawn --pty python3   (then: attach 1)", "  spawn --host web1 --name deploy ./deploy.sh", "  spawn --restart on-failure --max-restarts 5 --name api ./server", "  spawn sh -c 'make | tee build.log'   (a shell, for pipes)",
                "", "Output goes to files in the session directory: see `logs ID`."})
public final class SpawnCommand extends ProcshCommand {

    @Option(names = "--name", paramLabel = "NAME", description = "A name to refer to the job by, besides its id.")
    String name;

    @Option(names = "--cwd", paramLabel = "DIR", description = "Working directory (default: the session's, see cd).")
    String cwd;

    @Option(names = "--env", paramLabel = "K=V", description = "Set an environment variable for this job (repeatable).")
    List<String> env = new ArrayList<>();

    @Option(names = "--unset", paramLabel = "K", description = "Remove an environment variable for this job (repeatable).")
    List<String> unset = new ArrayList<>();

    @Option(names = "--stdin", description = "Give the job a stdin pipe to write to with `send` (default: /dev/null).")
    boolean stdin;

    @Option(names = "--pty", description = "Give the job a terminal of its own (for REPLs, top, ...): `attach ID` to use it, `send` types"
            + " into it; stdout and stderr both go to it and to the ID.out log. Native backend only.")
    boolean pty;

    @Option(names = "--timeout", paramLabel = "DUR", description = "Stop the job (as `stop` does) after this long, e.g. 30s.")
    Duration timeout;

    @Option(names = "--grace", paramLabel = "DUR", description = "Grace period of the timeout's stop (default 5s).")
    Duration grace;

    @Option(names = "--restart", paramLabel = "POLICY", completionCandidates = procsh.command.RestartModeNames.class,
            description = "Start it again when it ends: on-failure (non-zero exit or a signal), always, or no (default).")
    String restart;

    @Option(names = "--max-restarts", paramLabel = "N", description = "Give up after N quick restarts in a row (default: no limit).")
    Integer maxRestarts;

    @Option(names = "--backoff", paramLabel = "DUR[..MAX]", description = "Delay before a restart, doubling up to MAX (default 1s..30s).")
    String backoff;

    @Option(names = "--log-max", paramLabel = "SIZE",
            description = "Cap on each output file, e.g. 100M; past it the file is rotated to ID.out.1 (default 64M; 0: no cap).")
    String logMax;

    @Option(names = "--host", paramLabel = "[USER@]HOST", completionCandidates = procsh.command.SshHostNames.class,
            description = "Run it on HOST over ssh (procsh and a JDK there); it runs on through a dropped connection, which"
                    + " procsh restores; `hosts` shows the connections.")
    String host;

    @Option(names = "--buffered", description = "Do not add PYTHONUNBUFFERED=1 to the job's environment.")
    boolean buffered;

    @Parameters(paramLabel = "PROGRAM ARGS", arity = "1..*", description = "The program (looked up on PATH) and its arguments.")
    List<String> argv;

    @Override
    protected void configure(CommandLine cli) {
        // Everything after the program belongs to the program: `spawn ls --name` passes --name to ls.
        cli.setStopAtPositional(true);
    }

    @Override
    public Integer call() {
        SpawnRequest request = SpawnRequest.of(argv).name(name).stdin(stdin).timeout(timeout).grace(grace)
                .pythonUnbuffered(!buffered).host(host);
        if (cwd != null && host != null) {
            request.cwd(Path.of(cwd)); // resolved on the host: ~ is the home there
        } else if (cwd != null) {
            request.cwd(Path.of(cwd.equals("~") || cwd.startsWith("~/") ? System.getProperty("user.home") + cwd.substring(1) : cwd));
        }
        for (String pair : env) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ProcshException("--env wants K=V, got '" + procsh.text.Escape.echo(pair) + "'");
            }
            request.env(pair.substring(0, eq), pair.substring(eq + 1));
        }
        unset.forEach(request::unset);
        if (restart != null || maxRestarts != null || backoff != null) {
            if (restart == null) {
                throw new ProcshException("--max-restarts and --backoff go with --restart on-failure or --restart always");
            }
            RestartPolicy policy = RestartPolicy.of(RestartPolicy.Mode.parse(restart));
            if (maxRestarts != null) {
                policy = policy.maxRestarts(maxRestarts);
            }
            if (backoff != null) {
                policy = policy.backoff(backoff);
            }
            request.restart(policy);
        }
        if (logMax != null) {
            request.logMax(Sizes.parse(logMax));
        }
        if (pty) {
            procsh.command.RawTerminal console = session.rawTerminal();
            request.terminal(console == null ? 80 : console.columns(), console == null ? 24 : console.rows(),
                    console == null ? null : console.type());
        }
        Job job = table().spawn(request);
        out.println(tag(job) + " " + job.pid() + (job.host() == null ? "" : " on " + procsh.text.Escape.field(job.host()))
                + " " + job.commandLine());
        return 0;
    }
}

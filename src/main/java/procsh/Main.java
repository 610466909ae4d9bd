package procsh;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.app.Launch;

/**
 * procsh's own command line. Parsed with picocli, the same model that the completion scripts in
 * {@code completions/} are generated from.
 */
@Command(name = "procsh", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"A process shell: start, watch, signal and stop processes by hand and by script.", ""},
        footerHeading = "%nExamples:%n",
        footer = {"  procsh                              the interactive console",
                "  procsh -c 'spawn sleep 1; wait 1'   run lines and exit with the last status",
                "  printf 'spawn true\\nwait 1\\n' | procsh",
                "  procsh scripts/deadline.groovy 5s sleep 10",
                "  procsh up [Procfile]                start a Procfile's processes and follow them (Ctrl-C stops them)",
                "", "Exit status: that of the last line; wait gives the job's (its code, or 128+N for signal N);",
                "a failed command 1, a usage error 2."})
public final class Main implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--command"}, paramLabel = "LINE", description = "Run this line (repeatable), then exit.")
    List<String> commands = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "NAME", description = "How processes are started: auto (default), native or jdk.",
            completionCandidates = BackendNames.class)
    String backend;

    @Option(names = "--grace", paramLabel = "DUR", description = "Grace period of stops, and of the stop at procsh's end (default 5s).")
    String grace;

    @Option(names = "--debug", description = "Show stack traces for internal errors.")
    boolean debug;

    /** Hidden: runs the agent that `spawn --host` talks to over ssh (see procsh.remote.Agent). */
    static final String AGENT = procsh.remote.AgentCommandLine.AGENT;

    @Option(names = AGENT, hidden = true, description = "Serve another procsh over stdin and stdout (used through ssh by spawn --host).")
    boolean agent;

    @Option(names = "--train-cds", hidden = true, description = "The class-data-sharing training run (used by the build and the launcher).")
    boolean trainCds;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCRIPT", description = "A Groovy script to run (*.groovy).")
    java.nio.file.Path script;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The script's arguments.")
    List<java.nio.file.Path> scriptArgs = new ArrayList<>();

    public static void main(String[] args) {
        procsh.app.StartupTrace.mark("main");
        if (!procsh.remote.AgentCommandLine.matches(args)) {
            procsh.app.Warmup.start(); // the console's classes: an agent needs none of them
        }
        int status = run(args);
        procsh.app.StartupTrace.mark("exit");
        System.exit(status);
    }

    /** Runs procsh with these arguments and returns its exit status. */
    public static int run(String[] args) {
        if (procsh.remote.AgentCommandLine.matches(args)) {
            // The far end of `spawn --host`: a protocol, no console, no picocli.
            return procsh.remote.AgentCommandLine.run(args);
        }
        if (args.length == 0 && Launch.onTerminal()) {
            // The common case, kept off picocli's path: the prompt should appear at once.
            try {
                return new Launch(false, new procsh.command.PassThroughWriter(System.out),
                        new PrintWriter(System.err, true, StandardCharsets.UTF_8)).console();
            } catch (Exception e) {
                System.err.println("procsh: " + e.getMessage());
                return 1;
            }
        }
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    /** The picocli model of procsh's options; also the source of the completion scripts. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setStopAtPositional(true);
        cli.setExpandAtFiles(false);
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("procsh: " + e.getMessage() + " (procsh --help shows the options)");
            return 2;
        });
        return cli;
    }

    @Override
    public Integer call() throws Exception {
        if (backend != null) {
            if (!procsh.os.Backends.NAMES.contains(backend)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "bad --backend '" + procsh.command.OneLine.of(backend) + "': use auto, native or jdk");
            }
            System.setProperty(procsh.os.Backends.PROPERTY, backend);
        }
        if (agent) {
            return procsh.remote.AgentCommandLine.run(new String[] {AGENT});
        }
        if (trainCds) {
            return procsh.app.Training.run();
        }
        PrintWriter out = new procsh.command.PassThroughWriter(System.out);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        java.time.Duration stopGrace = null;
        if (grace != null) {
            try {
                stopGrace = procsh.core.Durations.parse(grace);
            } catch (procsh.core.ProcshException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--grace: " + procsh.command.OneLine.of(e.getMessage()));
            }
        }
        Launch launch = new Launch(debug, out, err).grace(stopGrace);
        if (script != null && script.toString().equals("up") && !java.nio.file.Files.isRegularFile(script)) {
            // `procsh up [Procfile] [options]`, as `foreman start`: the console's up command, then procsh ends.
            return launch.interruptible(procsh.command.Quoting.join("up", scriptArgs.stream().map(java.nio.file.Path::toString).toList()));
        }
        if (script != null) {
            return launch.script(script.toString(), scriptArgs.stream().map(java.nio.file.Path::toString).toList());
        }
        if (!commands.isEmpty()) {
            return launch.lines(commands);
        }
        if (Launch.onTerminal()) {
            return launch.console();
        }
        return launch.stdin(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    /** Completion candidates for --backend. */
    static final class BackendNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        BackendNames() {
            super(List.of("auto", "native", "jdk"));
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"procsh " + (v != null ? v : "dev") + " (Java " + Runtime.version() + ")"};
        }
    }
}

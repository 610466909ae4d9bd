package procsh.command.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.Interruptible;
import procsh.command.MergedLines;
import procsh.command.ProcshCommand;
import procsh.core.Job;
import procsh.core.LogFollower;
import procsh.core.OutputChannel;
import procsh.core.ProcshException;
import procsh.core.RestartPolicy;
import procsh.core.Scope;
import procsh.core.SpawnRequest;
import procsh.procfile.DotEnv;
import procsh.procfile.Procfile;
import procsh.text.Escape;

@Command(name = "up", description = "Start every process of a Procfile as a named job and follow their output; Ctrl-C stops them all.",
        footerHeading = "%nExamples:%n",
        footer = {"  up                      (./Procfile, with ./.env)", "  up deploy/Procfile --restart on-failure",
                "  procsh up               (from the shell, as foreman start)", "",
                "Each line 'name: command' runs under sh -c in the Procfile's directory, with the variables of",
                ".env beside it and PORT=5000, 5100, ... as foreman sets them. When one process ends (and has no",
                "restart policy) the others are stopped, as foreman does; Ctrl-C stops them all (grace, then KILL)."})
public final class UpCommand extends ProcshCommand implements Interruptible {

    @Parameters(paramLabel = "PROCFILE", arity = "0..1", description = "The Procfile (default ./Procfile).")
    String procfile = "Procfile";

    @Option(names = {"-e", "--env-file"}, paramLabel = "FILE", description = "Variables for every process (default .env beside the Procfile).")
    String envFile;

    @Option(names = {"-p", "--port"}, paramLabel = "N", description = "PORT of the first process; each next one gets 100 more (default 5000).")
    int port = 5000;

    @Option(names = "--restart", paramLabel = "POLICY", completionCandidates = procsh.command.RestartModeNames.class, description = "Restart policy of every process: on-failure, always or no (default).")
    String restart;

    @Option(names = "--grace", paramLabel = "DUR", description = "Grace period of the final stop (default: the session's, 5s).")
    Duration grace;

    @Option(names = {"-t", "--timestamps"}, description = "Show when each line was read.")
    boolean timestamps;

    @Override
    public Integer call() throws InterruptedException {
        Path file = table().context().cwd().resolve(procfile).normalize();
        Procfile p = Procfile.read(file);
        Path dir = file.getParent();
        Map<String, String> vars = DotEnv.read(envFile != null ? table().context().cwd().resolve(envFile) : dir.resolve(".env"));
        if (envFile != null && !java.nio.file.Files.exists(table().context().cwd().resolve(envFile))) {
            throw new ProcshException("no env file " + Escape.echo(envFile));
        }
        RestartPolicy policy = restart == null ? RestartPolicy.NEVER : RestartPolicy.of(RestartPolicy.Mode.parse(restart));
        for (Procfile.Entry e : p.entries()) {
            Optional<Job> running = table().find(e.name()).filter(Job::isAlive);
            if (running.isPresent()) {
                throw new ProcshException("job " + running.get().id() + " is already named '" + e.name()
                        + "' and still running: stop it first (stop " + e.name() + ")");
            }
        }
        List<Job> jobs = start(p, dir, vars, policy);
        MergedLines printer = new MergedLines(out, style(), timestamps, jobs);
        try {
            new LogFollower(() -> jobs, EnumSet.allOf(OutputChannel.class))
                    .run(-1, printer, () -> jobs.stream().anyMatch(Job::hasEnded));
        } catch (InterruptedException e) {
            out.println("Ctrl-C: stopping " + names(jobs));
            stopAll(jobs);
            return procsh.command.Shell.INTERRUPTED;
        }
        Job first = jobs.stream().filter(Job::hasEnded).findFirst().orElseThrow();
        session.reported(first);
        out.println(tag(first) + " " + MergedLines.label(first) + " " + first.ending().describe() + ": stopping the others");
        stopAll(jobs);
        return first.ending().shellStatus();
    }

    private List<Job> start(Procfile p, Path dir, Map<String, String> vars, RestartPolicy policy) throws InterruptedException {
        List<Job> jobs = new ArrayList<>();
        try {
            for (int i = 0; i < p.entries().size(); i++) {
                Procfile.Entry e = p.entries().get(i);
                SpawnRequest request = SpawnRequest.of("sh", "-c", e.command()).name(e.name()).cwd(dir).restart(policy);
                vars.forEach(request::env);
                if (!vars.containsKey("PORT")) {
                    request.env("PORT", Integer.toString(port + 100 * i));
                }
                Job job = table().spawn(request);
                jobs.add(job);
                out.println(style().dim(tag(job) + " " + job.pid() + " " + MergedLines.label(job) + ": " + Escape.field(e.command())));
            }
        } catch (ProcshException e) {
            // All or nothing: a Procfile half started is worse than none.
            stopAll(jobs);
            throw e;
        }
        out.flush();
        return jobs;
    }

    private void stopAll(List<Job> jobs) throws InterruptedException {
        stopAndReport(jobs, grace, Scope.TREE, MergedLines::label);
    }

    private static String names(List<Job> jobs) {
        return String.join(", ", jobs.stream().map(MergedLines::label).toList());
    }

    @Override
    public String afterInterrupt() {
        return "the stops go on in the background (list shows them)";
    }
}

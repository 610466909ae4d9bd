package procsh.command.commands;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.JsonOutput;
import procsh.command.ProcshCommand;
import procsh.command.Quoting;
import procsh.command.Sizes;
import procsh.core.Durations;
import procsh.core.Ending;
import procsh.core.Job;
import procsh.core.Observation;
import procsh.core.OutputChannel;
import procsh.core.SignalRecord;
import procsh.text.Escape;

@Command(name = "info", description = "Everything the table knows about a job, and what the OS says about it now.",
        footerHeading = "%nExamples:%n", footer = {"  info 2", "  info web --json", "  info 2 --env-values   (also the values of --env / setenv variables)"})
public final class InfoCommand extends ProcshCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Parameters(paramLabel = "ID", description = "Job id or name.")
    String ref;

    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    @Option(names = "--env-values", description = "Show the values of the variables the job was given, not only their names: they may be secrets.")
    boolean envValues;

    @Override
    public Integer call() {
        Job job = job(ref);
        Map<String, Object> facts = facts(job);
        if (json) {
            out.println(JsonOutput.write(facts));
            return 0;
        }
        int width = facts.keySet().stream().mapToInt(String::length).max().orElse(8);
        // The facts are exact (JSON prints them so); for a person every value is escaped, here, once.
        facts.forEach((k, v) -> out.println(style().bold(String.format("%-" + width + "s", k)) + "  "
                + (v == null ? "-" : Escape.field(String.valueOf(v)))));
        return 0;
    }

    private Map<String, Object> facts(Job job) {
        Observation seen = table().observe(List.of(job));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", job.id());
        f.put("name", job.name());
        if (job.host() != null) {
            f.put("host", job.host() + (job.hostReachable() ? "" : "  (connection lost: `hosts` shows it)"));
            // The agent's copy: what a kept job goes on writing, and where to look on that host.
            f.put("output there", job.remoteLog());
        }
        f.put("pid", job.pid());
        f.put("state", seen.state(job).label());
        f.put("command", job.argv().stream().map(Quoting::quote).collect(Collectors.joining(" ")));
        f.put("cwd", job.cwd());
        if (job.terminal() != null) {
            procsh.core.JobTerminal t = job.terminal();
            f.put("terminal", t.path() + " (" + t.columns() + "x" + t.rows() + (t.isClosed() ? ", closed" : t.attached() ? ", attached" : "") + ")");
        }
        // Values are often tokens and passwords (API_TOKEN=...): names only unless asked, in JSON too.
        f.put("env added", job.envAdded().isEmpty() ? null : job.envAdded().entrySet().stream()
                .map(e -> envValues ? e.getKey() + "=" + Quoting.quote(e.getValue()) : e.getKey()).collect(Collectors.joining(" ")));
        f.put("env removed", job.envRemoved().isEmpty() ? null : String.join(" ", job.envRemoved()));
        f.put("started", TIME.format(job.started()));
        f.put("ended", job.endedAt() == null ? null : TIME.format(job.endedAt()));
        f.put("run time", Durations.format(job.runTime()));
        Ending e = job.ending();
        if (e != null) {
            f.put("ending", e.describe());
            f.put("returncode", e.returncode() + "  (shell status " + e.shellStatus() + ")");
        }
        f.put("timeout", job.timeout() == null ? null : Durations.format(job.timeout()));
        if (job.restartPolicy().restarts()) {
            f.put("restart", job.restartPolicy().describe());
            f.put("restarts", job.restarts() + (job.restarts() > 0 ? "  (first run started " + TIME.format(job.firstStarted()) + ")" : ""));
            if (job.lastRun() != null) {
                f.put("last run", job.lastRun().describe());
            }
            if (job.restartAt() != null) {
                f.put("next run", TIME.format(job.restartAt()));
            }
            if (job.restartFailure() != null) {
                f.put("restart failed", job.restartFailure());
            }
        }
        f.put("stdin", job.terminal() != null ? "its terminal (attach / send)" : table().hasStdinPipe(job) ? "pipe (send / close)" : "/dev/null");
        for (OutputChannel c : OutputChannel.values()) {
            f.put(c.label(), logFacts(job, c));
        }
        f.put("signals sent", job.signals().isEmpty() ? null : job.signals().stream().map(InfoCommand::describe)
                .collect(Collectors.joining("; ")));
        seen.live(job).ifPresent(live -> {
            f.put("os state", Character.toString(live.osState()));
            f.put("group / session", live.pgid() + " / " + live.sid());
            f.put("cpu", Durations.format(live.jobCpu()) + "  (its own process " + Durations.format(live.cpu()) + ")");
            f.put("rss", Sizes.human(live.rssBytes()));
            f.put("descendants", live.descendants().isEmpty() ? null : live.descendants().stream()
                    .map(s -> s.pid() + " " + s.command()).collect(Collectors.joining(", ")));
        });
        return f;
    }

    /** {@code /path/1.out  (12M; 140M written, 64M in 1.out.1, 64M dropped; cap 64M)} */
    private static String logFacts(Job job, OutputChannel c) {
        procsh.core.JobOutput o = job.output();
        StringBuilder b = new StringBuilder().append(o.file(c)).append("  (").append(Sizes.human(o.size(c)));
        if (o.rotations(c) > 0) {
            b.append("; ").append(Sizes.human(o.written(c))).append(" written, ")
                    .append(Sizes.human(o.kept(c) - o.size(c))).append(" in ").append(o.rotatedFile(c).getFileName());
            if (o.dropped(c) > 0) {
                b.append(", ").append(Sizes.human(o.dropped(c))).append(" dropped");
            }
        }
        b.append(o.cap() > 0 ? "; cap " + Sizes.human(o.cap()) : "; no cap");
        if (o.capProblem() != null) {
            b.append("; not kept: ").append(o.capProblem());
        }
        return b.append(')').toString();
    }

    private static String describe(SignalRecord r) {
        return r.signal().name() + " at " + TIME.format(r.at()).substring(11) + " by " + r.sender().description()
                + (r.scope() == procsh.core.Scope.PROCESS ? "" : " (" + r.scope().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
}

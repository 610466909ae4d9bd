package procsh.command.commands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.core.Job;
import procsh.core.JobState;
import procsh.core.LiveStats;
import procsh.core.Observation;
import procsh.core.ProcshException;
import procsh.os.ProcStat;
import procsh.text.Escape;

@Command(name = "tree", description = "Show the live process tree under a job.",
        footerHeading = "%nExamples:%n", footer = {"  tree 2"})
public final class TreeCommand extends ProcshCommand {

    @Parameters(paramLabel = "ID", description = "Job id or name.")
    String ref;

    @Override
    public Integer call() {
        Job job = job(ref);
        Observation seen = table().observe(List.of(job));
        JobState state = seen.state(job);
        if (state == JobState.UNKNOWN) {
            throw new ProcshException("job " + job.id() + " runs on " + Escape.echo(job.host())
                    + ", which is not answering now: its process tree is unknown (`hosts` shows the connection)");
        }
        LiveStats live = seen.live(job).orElseThrow(() -> new ProcshException(
                "job " + job.id() + " is not running (" + seen.status(job) + "): it has no process tree"));
        Map<Long, List<ProcStat>> children = new HashMap<>();
        for (ProcStat s : live.descendants()) {
            children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
        }
        children.values().forEach(list -> list.sort((a, b) -> Long.compare(a.pid(), b.pid())));
        out.println(job.pid() + " " + job.commandLine() + style().dim("  [" + job.id() + "] " + state.label()));
        print(job.pid(), "", children);
        return 0;
    }

    private void print(long pid, String indent, Map<Long, List<ProcStat>> children) {
        List<ProcStat> kids = children.getOrDefault(pid, List.of());
        for (int i = 0; i < kids.size(); i++) {
            boolean last = i == kids.size() - 1;
            ProcStat s = kids.get(i);
            String mark = s.stopped() ? style().dim("  (stopped)") : "";
            out.println(indent + (last ? "└─ " : "├─ ") + s.pid() + " " + Escape.field(s.command()) + mark);
            print(s.pid(), indent + (last ? "   " : "│  "), children);
        }
    }
}

package procsh.command.commands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.core.Job;
import procsh.core.LiveStats;
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
        if (job.host() != null && job.isAlive()) {
            throw new procsh.core.ProcshException("job " + job.id() + " runs on " + procsh.text.Escape.echo(job.host())
                    + ": its process tree is not shown from here yet (`info " + job.id() + "` shows its pid there)");
        }
        LiveStats live = job.live().orElseThrow(() -> new procsh.core.ProcshException(
                "job " + job.id() + " is not running (" + job.status() + "): it has no process tree"));
        Map<Long, List<ProcStat>> children = new HashMap<>();
        for (ProcStat s : live.descendants()) {
            children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
        }
        children.values().forEach(list -> list.sort((a, b) -> Long.compare(a.pid(), b.pid())));
        out.println(job.pid() + " " + job.commandLine() + style().dim("  [" + job.id() + "] " + job.state().label()));
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

package procsh.command.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import procsh.command.DisplayWidth;
import procsh.command.ProcshCommand;
import procsh.command.Sizes;
import procsh.core.Durations;
import procsh.core.Ending;
import procsh.core.Job;
import procsh.core.JobState;
import procsh.core.LiveStats;
import procsh.core.Observation;
import procsh.text.Escape;

@Command(name = "list", aliases = {"ps", "jobs"},
        description = "Show the job table: id, name, pid, state, restarts (\u21ba), exit, run time, CPU (the whole group's), memory, command.",
        footerHeading = "%nExamples:%n",
        footer = {"  list", "  list --running", "  list --json      (for programs: state, exit_code, signal, command ...)"})
public final class ListCommand extends ProcshCommand {

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Option(names = "--running", description = "Only jobs that have not ended.")
    boolean running;

    @Option(names = "--ended", description = "Only jobs that have ended.")
    boolean ended;

    @Override
    public Integer call() {
        List<Job> jobs = table().jobs().stream()
                .filter(j -> !running || j.isAlive())
                .filter(j -> !ended || j.hasEnded())
                .toList();
        // One question to each host for all its jobs, not one per job.
        Observation seen = table().observe(jobs);
        if (json) {
            List<Object> rows = new ArrayList<>();
            jobs.forEach(j -> rows.add(JobJson.of(j, seen)));
            out.println(procsh.command.JsonOutput.write(rows));
            return 0;
        }
        if (jobs.isEmpty()) {
            out.println(table().jobs().isEmpty() ? "no jobs (start one with spawn)" : "no jobs match");
            return 0;
        }
        // HOST only once a job runs elsewhere: a table of local jobs reads as it always did.
        boolean hosts = jobs.stream().anyMatch(j -> j.host() != null);
        String[] header = {"ID", "NAME", "HOST", "PID", "STATE", "\u21ba", "EXIT", "TIME", "CPU", "RSS", "COMMAND"};
        List<String[]> rows = new ArrayList<>();
        List<JobState> states = new ArrayList<>();
        for (Job j : jobs) {
            JobState state = seen.state(j);
            states.add(state);
            LiveStats live = seen.live(j).orElse(null);
            rows.add(new String[] {
                Integer.toString(j.id()), j.name() == null ? "-" : Escape.field(j.name()), j.host() == null ? "-" : Escape.field(j.host()),
                Long.toString(j.pid()), state.label(),
                Integer.toString(j.restarts()),
                // Between runs, how the last run ended.
                exit(state == JobState.BACKOFF ? j.lastRun() : j.ending()), Durations.format(j.runTime()),
                live == null ? "-" : Durations.format(live.jobCpu()), live == null ? "-" : Sizes.human(live.rssBytes()),
                j.commandLine() + (j.terminal() != null ? "  (pty)" : "")});
        }
        if (!hosts) {
            header = withoutHost(header);
            rows.replaceAll(ListCommand::withoutHost);
        }
        // Columns are measured on the screen (a CJK character takes two), after escaping.
        int[] widths = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            widths[c] = header[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], DisplayWidth.of(row[c]));
            }
        }
        int fixed = 0;
        for (int c = 0; c < header.length - 1; c++) {
            fixed += widths[c] + 2;
        }
        int commandWidth = Math.max(10, session.width() - fixed - 1);
        out.println(style().bold(line(header, header, widths, commandWidth, null)));
        for (int r = 0; r < rows.size(); r++) {
            out.println(line(header, rows.get(r), widths, commandWidth, states.get(r)));
        }
        return 0;
    }

    private static final java.util.Set<String> RIGHT_ALIGNED = java.util.Set.of("ID", "PID", "\u21ba", "TIME", "CPU", "RSS");

    private static String[] withoutHost(String[] cells) {
        String[] fewer = new String[cells.length - 1];
        fewer[0] = cells[0];
        fewer[1] = cells[1];
        System.arraycopy(cells, 3, fewer, 2, cells.length - 3);
        return fewer;
    }

    /** EXIT column: the code, the signal's name, or both readings when the backend cannot tell. */
    static String exit(Ending ending) {
        if (ending == null) {
            return "";
        }
        if (!ending.certain()) {
            return ending.code() + "?";
        }
        return ending.killed() ? ending.signal().name() : Integer.toString(ending.code());
    }

    /** One row; the STATE cell in its colour when {@code state} is given and colour is on. */
    private String line(String[] header, String[] cells, int[] widths, int commandWidth, JobState state) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.length - 1; c++) {
            String cell = cells[c];
            boolean right = RIGHT_ALIGNED.contains(header[c]);
            String pad = DisplayWidth.padding(cell, widths[c]);
            String shown = header[c].equals("STATE") && state != null ? style().state(state, cell) : cell;
            b.append(right ? pad + shown : shown + pad).append("  ");
        }
        return b.append(DisplayWidth.cut(cells[cells.length - 1], commandWidth)).toString();
    }

    /** A job as JSON: the fields programs rely on. */
    static final class JobJson {
        private JobJson() {
        }

        static Map<String, Object> of(Job j, Observation seen) {
            Ending e = j.ending();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", j.id());
            m.put("name", j.name());
            m.put("host", j.host());
            m.put("pid", j.pid());
            m.put("state", seen.state(j).label());
            m.put("restarts", j.restarts());
            m.put("exit_code", e == null ? null : e.exitCode());
            m.put("signal", e != null && e.killed() ? e.signal().name() : null);
            m.put("returncode", e == null ? null : e.returncode());
            m.put("ending", e == null ? null : e.describe());
            m.put("certain", e == null ? null : e.certain());
            m.put("started", j.started().toString());
            m.put("ended", j.endedAt() == null ? null : j.endedAt().toString());
            m.put("runtime_ms", j.runTime().toMillis());
            m.put("command", j.argv());
            m.put("cwd", j.cwd().toString());
            m.put("terminal", j.terminal() == null ? null : j.terminal().path());
            seen.live(j).ifPresent(l -> {
                m.put("cpu_ms", l.jobCpu().toMillis());
                m.put("rss_bytes", l.rssBytes());
            });
            return m;
        }
    }
}

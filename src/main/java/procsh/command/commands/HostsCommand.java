package procsh.command.commands;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import procsh.command.JsonOutput;
import procsh.command.ProcshCommand;
import procsh.core.Launcher;
import procsh.text.Escape;

@Command(name = "hosts", description = "Show the connections to other hosts (spawn --host): state, running jobs, ssh's pid.",
        footerHeading = "%nExamples:%n", footer = {"  hosts", "  hosts --json"})
public final class HostsCommand extends ProcshCommand {

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        List<Launcher> hosts = new ArrayList<>(table().hosts());
        hosts.sort(Comparator.comparing(Launcher::host));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Launcher h : hosts) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("host", h.host());
            row.put("state", h.state());
            // Counted from the table: the jobs a person sees in `list` for that host.
            row.put("jobs", table().jobs().stream().filter(j -> h.host().equals(j.host()) && j.isAlive()).count());
            long pid = h.connectionPid();
            row.put("ssh_pid", pid < 0 ? null : pid);
            rows.add(row);
        }
        if (json) {
            out.println(JsonOutput.write(rows));
            return 0;
        }
        if (rows.isEmpty()) {
            out.println("no connections (spawn --host HOST PROGRAM starts one)");
            return 0;
        }
        int width = Math.max(4, rows.stream().mapToInt(r -> Escape.field((String) r.get("host")).length()).max().orElse(4));
        // The state is last: a lost connection's says why and when the next try is, at any length.
        out.println(style().bold(String.format("%-" + width + "s  %4s  %7s  %s", "HOST", "JOBS", "SSH PID", "STATE")));
        for (Map<String, Object> r : rows) {
            out.println(String.format("%-" + width + "s  %4d  %7s  %s", Escape.field((String) r.get("host")), (Long) r.get("jobs"),
                    r.get("ssh_pid") == null ? "-" : r.get("ssh_pid"), Escape.field(String.valueOf(r.get("state")))));
        }
        return 0;
    }

}

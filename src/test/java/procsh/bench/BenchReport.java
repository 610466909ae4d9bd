package procsh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns the suite's raw result lines (every harness's output, each line prefixed by the runner
 * with the implementation's name) into one markdown table of medians, min-max and ratios.
 * All statistics are computed here, so bash need not compute any.
 *
 * <pre>java procsh.bench.BenchReport --raw raw.tsv --meta meta.txt --out results.md [--copy other.md]</pre>
 */
public final class BenchReport {

    static final List<String> IMPLS = List.of("procsh-native", "procsh-jdk", "python3", "bash", "c");
    private static final Map<String, String> HEADERS = Map.of(
            "procsh-native", "procsh native", "procsh-jdk", "procsh jdk", "python3", "python3 subprocess",
            "bash", "bash", "c", "C posix_spawn");
    private static final Map<String, String> SHORT = Map.of("python3", "python", "bash", "bash", "c", "C");

    /** What a metric means and how it is shown; {@code ref} is the peer the issue's goal compares with. */
    private record Metric(String metric, String label, String unit, double scale, boolean count, boolean higherBetter,
                          String ref, boolean p90) {
    }

    private static List<Metric> metricsOf(String workload, Map<String, String> meta) {
        if (workload.equals("spawn")) {
            return List.of(
                    new Metric("per-process", "start + reap `/bin/true` (one after another), per process", "ms", 1e-3, false, false, "python3", false),
                    new Metric("per-process-files", "same, peers also sending stdout+stderr to 2 new files each (procsh always does: same figure)", "ms", 1e-3, false, false, "python3", false));
        }
        if (workload.startsWith("fanout-")) {
            String n = workload.substring("fanout-".length());
            return List.of(
                    new Metric("start-all", "start " + n + " `sleep 1000` at once", "s", 1e-6, false, false, "python3", false),
                    new Metric("stop-all", "SIGTERM all " + n + ", wait until all reaped", "s", 1e-6, false, false, "python3", false),
                    new Metric("threads-live", "threads of the managing process, " + n + " live", "threads", 1, true, false, "python3", false),
                    new Metric("peak-threads", "peak threads (sampled every 5 ms)", "threads", 1, true, false, "python3", false),
                    new Metric("rss-live", "RSS, " + n + " live", "MB", 1 / 1024.0, false, false, "python3", false),
                    new Metric("peak-rss", "peak RSS (VmHWM)", "MB", 1 / 1024.0, false, false, "python3", false));
        }
        if (workload.startsWith("stopall-")) {
            String n = workload.substring("stopall-".length());
            return List.of(new Metric("stop-all-api", "`table.stopAll` over " + n + " live `sleep` (what the console's stop-all uses)",
                    "s", 1e-6, false, false, "python3", false));
        }
        if (workload.equals("kill")) {
            return List.of(
                    new Metric("kill-to-exit", "SIGKILL to exit observed, median (of " + meta.getOrDefault("kill_n", "?") + ")", "ms", 1e-3, false, false, "python3", false),
                    new Metric("kill-to-exit", "SIGKILL to exit observed, p90", "ms", 1e-3, false, false, "python3", true));
        }
        if (workload.equals("poll")) {
            String n = meta.getOrDefault("poll_n", "?");
            return List.of(
                    new Metric("poll-pass", "one poll pass over " + n + " live jobs (procsh `table.poll`, python `Popen.poll`, C `waitpid(WNOHANG)`)", "ms", 1e-3, false, false, "python3", false),
                    new Metric("isalive-pass", "same pass with procsh `job.isAlive()` (no /proc read)", "ms", 1e-3, false, false, "python3", false));
        }
        if (workload.equals("capture")) {
            String mb = meta.getOrDefault("capture_mb", "?");
            return List.of(
                    new Metric("throughput", "capture " + mb + " MB of a job's stdout to a file (bash: `head -c ... > file`)", "MB/s", 1, false, true, "bash", false),
                    new Metric("peak-rss", "peak RSS of the managing process while capturing", "MB", 1 / 1024.0, false, false, "python3", false));
        }
        return List.of();
    }

    public static void main(String[] argv) throws IOException {
        Map<String, String> args = BenchIo.parseArgs(argv);
        Map<String, String> meta = readMeta(Path.of(args.get("meta")));
        // impl -> workload -> metric -> samples
        Map<String, Map<String, Map<String, List<Double>>>> data = new LinkedHashMap<>();
        List<String> workloads = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        List<Double> busy = new ArrayList<>();
        List<Double> others = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args.get("raw")))) {
            String[] f = line.split("\t", -1);
            if (f.length < 2) {
                continue;
            }
            switch (f[1]) {
                case "R" -> {
                    if (!workloads.contains(f[2])) {
                        workloads.add(f[2]);
                    }
                    List<Double> samples = data.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
                            .computeIfAbsent(f[2], k -> new LinkedHashMap<>()).computeIfAbsent(f[3], k -> new ArrayList<>());
                    for (String s : f[5].trim().split(" ")) {
                        if (!s.isEmpty()) {
                            samples.add(Double.parseDouble(s));
                        }
                    }
                }
                case "I" -> {
                    if (!f[2].equals("backend")) {
                        versions.putIfAbsent(f[2].equals("version") ? f[0] : f[0] + " " + f[2], f[3]);
                    }
                }
                case "W" -> notes.add("warning from " + f[0] + ": " + f[2]);
                case "L" -> notes.add("leftover after " + f[2]);
                case "E" -> notes.add("failed: " + f[0] + " " + f[2]);
                case "B" -> busy.add(Double.parseDouble(f[3]));
                case "O" -> others.add(Math.max(0, Double.parseDouble(f[3])));
                default -> {
                }
            }
        }
        workloads.sort((a, b) -> Integer.compare(order(a), order(b)) != 0 ? Integer.compare(order(a), order(b))
                : Integer.compare(number(a), number(b)));
        if (!busy.isEmpty()) {
            double[] b = sorted(busy);
            meta.put("busy", String.format(Locale.ROOT, "%.0f%% median, %.0f%% max", median(b), b[b.length - 1]));
        }
        if (!others.isEmpty()) {
            double[] o = sorted(others);
            meta.put("others", String.format(Locale.ROOT, "%.0f%% median, %.0f%% max", median(o), o[o.length - 1]));
        }
        String table = render(meta, data, workloads, notes, versions);
        Path out = Path.of(args.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, table);
        if (args.containsKey("copy")) {
            Path copy = Path.of(args.get("copy"));
            if (copy.toAbsolutePath().getParent() != null) {
                Files.createDirectories(copy.toAbsolutePath().getParent());
            }
            Files.writeString(copy, table);
        }
        System.out.print(table);
    }

    private static String render(Map<String, String> meta, Map<String, Map<String, Map<String, List<Double>>>> data,
                                 List<String> workloads, List<String> notes, Map<String, String> versions) {
        StringBuilder md = new StringBuilder();
        md.append("## procsh benchmark suite (").append(meta.getOrDefault("mode", "full")).append(" mode)\n\n");
        md.append(meta.getOrDefault("when", "")).append(" · ").append(meta.getOrDefault("machine", "")).append(" · commit ")
                .append(meta.getOrDefault("commit", "?")).append(" · load average before/after: ")
                .append(meta.getOrDefault("load_before", "?")).append(" / ").append(meta.getOrDefault("load_after", "?"))
                .append(" · wall time ").append(meta.getOrDefault("wall", "?")).append("\n\n");
        if (meta.containsKey("busy")) {
            md.append("Noise from other processes on this machine: CPUs busy just before each measurement ").append(meta.get("busy"))
                    .append(meta.containsKey("others") ? "; share of the CPUs others used during measurements " + meta.get("others") : "")
                    .append(". Well above 0 means a noisy neighbour: trust ratios more than absolutes.\n\n");
        }
        md.append("Cells: median (min–max) over all samples of all rounds; ratios divide medians (procsh ÷ peer). "
                + "Times inside the managing process, JVM start excluded, after a warm-up. Job output files on: ")
                .append(meta.getOrDefault("fs", "?")).append(".\n\n");
        List<String> present = IMPLS.stream().filter(data::containsKey).toList();
        md.append("| workload | unit |");
        present.forEach(i -> md.append(' ').append(HEADERS.get(i)).append(" |"));
        md.append(" native ÷ peer | jdk ÷ peer | native ÷ C |\n|---|---|");
        present.forEach(i -> md.append("---:|"));
        md.append("---:|---:|---:|\n");
        for (String workload : workloads) {
            for (Metric m : metricsOf(workload, meta)) {
                Map<String, double[]> values = new LinkedHashMap<>();
                for (String impl : present) {
                    List<Double> s = data.get(impl).getOrDefault(workload, Map.of()).get(m.metric());
                    if (s != null && !s.isEmpty()) {
                        values.put(impl, s.stream().mapToDouble(d -> d * m.scale()).sorted().toArray());
                    }
                }
                if (values.isEmpty()) {
                    continue;
                }
                md.append("| ").append(m.label()).append(" | ").append(m.unit()).append(m.higherBetter() ? " ↑" : " ↓").append(" |");
                for (String impl : present) {
                    double[] v = values.get(impl);
                    md.append(' ').append(v == null ? "—" : m.p90() ? fmt(percentile(v, 0.9), m)
                            : v.length == 1 ? fmt(v[0], m)
                            : fmt(median(v), m) + " (" + fmt(v[0], m) + "–" + fmt(v[v.length - 1], m) + ")").append(" |");
                }
                md.append(' ').append(ratio(values, "procsh-native", m.ref(), m)).append(m.ref() != null && values.containsKey(m.ref())
                        && values.containsKey("procsh-native") ? " " + SHORT.get(m.ref()) : "").append(" |");
                md.append(' ').append(ratio(values, "procsh-jdk", m.ref(), m)).append(m.ref() != null && values.containsKey(m.ref())
                        && values.containsKey("procsh-jdk") ? " " + SHORT.get(m.ref()) : "").append(" |");
                md.append(' ').append(ratio(values, "procsh-native", "c", m)).append(" |\n");
            }
        }
        md.append("\n↓ lower is better, ↑ higher is better. Peers run their children with output to /dev/null except "
                + "where a row says files; procsh always writes each job's stdout and stderr to files in its state "
                + "directory. \"stop\" rows: procsh `table.terminate(job)` on each job then `table.waitFor(all)`; python "
                + "`terminate()` then `wait()` each; bash `kill -TERM` then `wait`; C `kill` then `waitpid` each. "
                + "Thread/RSS rows: fresh process per round; bash, python and C are single-threaded.\n\n");
        md.append("Counts: ").append(meta.getOrDefault("counts", "")).append("\n\n");
        md.append("Versions: ");
        List<String> v = new ArrayList<>();
        new TreeSet<>(versions.keySet()).forEach(k -> v.add(k + ": " + versions.get(k)));
        v.add("cc: " + meta.getOrDefault("cc", "none"));
        if (meta.containsKey("java_opts")) {
            v.add("procsh JVM options: " + meta.get("java_opts"));
        }
        md.append(String.join("; ", v)).append("\n\n");
        md.append(notes.isEmpty() ? "Checks: every job ended as expected; nothing was left running after any workload.\n"
                : "Checks:\n" + notes.stream().map(n -> "- " + n + "\n").reduce("", String::concat));
        return md.toString();
    }

    private static String ratio(Map<String, double[]> values, String impl, String ref, Metric m) {
        double[] a = values.get(impl);
        double[] b = ref == null ? null : values.get(ref);
        if (a == null || b == null) {
            return "—";
        }
        double x = m.p90() ? percentile(a, 0.9) : median(a);
        double y = m.p90() ? percentile(b, 0.9) : median(b);
        return y == 0 ? "—" : String.format(Locale.ROOT, y != 0 && x / y >= 10 ? "%.0f×" : "%.2f×", x / y);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Nearest-rank percentile of sorted samples. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String fmt(double v, Metric m) {
        if (m.count()) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }

    private static int order(String workload) {
        List<String> order = List.of("spawn", "fanout", "stopall", "kill", "poll", "capture");
        String base = workload.replaceAll("-\\d+$", "");
        int i = order.indexOf(base);
        return i < 0 ? order.size() : i;
    }

    private static int number(String workload) {
        String digits = workload.replaceAll("^.*-(\\d+)$", "$1");
        return digits.matches("\\d+") ? Integer.parseInt(digits) : 0;
    }

    private static Map<String, String> readMeta(Path file) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        if (file != null && Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    meta.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return meta;
    }

    static double[] sorted(List<Double> samples) {
        double[] v = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v;
    }
}

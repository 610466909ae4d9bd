package procsh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The line protocol every harness of the suite speaks, and the few /proc reads they share. */
final class BenchIo {

    private BenchIo() {
    }

    /** {@code --key value} pairs; a flag without a value reads as "true". */
    static Map<String, String> parseArgs(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --key value, got " + argv[i]);
            }
            String key = argv[i].substring(2);
            boolean hasValue = i + 1 < argv.length && !argv[i + 1].startsWith("--");
            args.put(key, hasValue ? argv[++i] : "true");
        }
        return args;
    }

    static void result(String workload, String metric, String unit, double... samples) {
        StringJoiner values = new StringJoiner(" ");
        for (double s : samples) {
            values.add(String.format(Locale.ROOT, "%.3f", s));
        }
        System.out.println("R\t" + workload + "\t" + metric + "\t" + unit + "\t" + values);
        System.out.flush();
    }

    static void result(String workload, String metric, String unit, long value) {
        result(workload, metric, unit, (double) value);
    }

    static void info(String key, String value) {
        System.out.println("I\t" + key + "\t" + value.replace('\t', ' ').replace('\n', ' '));
    }

    static void warn(String message) {
        System.out.println("W\t" + message.replace('\t', ' ').replace('\n', ' '));
    }

    /** Numeric fields of /proc/self/status (Threads, VmRSS, VmHWM in kB, ...); empty off Linux. */
    static Map<String, Long> selfStatus() {
        Map<String, Long> fields = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String value = line.substring(colon + 1).strip();
                int digits = 0;
                while (digits < value.length() && Character.isDigit(value.charAt(digits))) {
                    digits++;
                }
                if (digits > 0) {
                    fields.put(line.substring(0, colon), Long.parseLong(value.substring(0, digits)));
                }
            }
        } catch (IOException e) {
            warn("cannot read /proc/self/status: " + e.getMessage());
        }
        return fields;
    }
}

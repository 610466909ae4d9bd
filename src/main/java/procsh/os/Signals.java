package procsh.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signals of the running OS, numbered as the OS numbers them: read from the C library
 * (glibc's {@code sigabbrev_np}) and, where that is missing, from the shell's {@code kill -l}.
 */
public final class Signals {

    private static final Map<String, String> ALIASES = Map.of("IOT", "ABRT", "CLD", "CHLD", "POLL", "IO");

    private final Map<Integer, Signal> byNumber;
    private final Map<String, Signal> byName;

    Signals(Map<Integer, String> names) {
        Map<Integer, Signal> numbers = new TreeMap<>();
        Map<String, Signal> lookup = new LinkedHashMap<>();
        names.forEach((number, shortName) -> {
            Signal signal = new Signal(number, "SIG" + shortName);
            numbers.put(number, signal);
            lookup.putIfAbsent(shortName, signal);
        });
        ALIASES.forEach((alias, target) -> {
            Signal signal = lookup.get(target);
            if (signal != null) {
                lookup.putIfAbsent(alias, signal);
            }
        });
        this.byNumber = Collections.unmodifiableMap(numbers);
        this.byName = Collections.unmodifiableMap(lookup);
    }

    private static final class Holder {
        static final Signals OS = load();
    }

    /** The running OS's table, read once. */
    public static Signals os() {
        return Holder.OS;
    }

    public List<Signal> all() {
        return List.copyOf(byNumber.values());
    }

    public Optional<Signal> byNumber(int number) {
        return Optional.ofNullable(byNumber.get(number));
    }

    /** SIGKILL, SIGTERM and friends exist everywhere; a missing one is a broken table. */
    public Signal require(String name) {
        return parse(name).orElseThrow(() -> new IllegalStateException("this OS has no " + name));
    }

    /**
     * Reads a signal as users type it: {@code 9}, {@code -9}, {@code KILL}, {@code -KILL},
     * {@code SIGKILL}, {@code sigkill}, {@code RTMIN+2}.
     */
    public Optional<Signal> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String spelled = text.strip();
        if (spelled.startsWith("-")) {
            spelled = spelled.substring(1);
        }
        if (spelled.isEmpty() || spelled.length() > 24) {
            return Optional.empty();
        }
        if (spelled.chars().allMatch(Character::isDigit)) {
            try {
                return byNumber(Integer.parseInt(spelled));
            } catch (NumberFormatException tooBig) {
                return Optional.empty();
            }
        }
        String upper = spelled.toUpperCase(Locale.ROOT);
        if (upper.startsWith("SIG")) {
            upper = upper.substring(3);
        }
        return Optional.ofNullable(byName.get(upper));
    }

    /** What to tell a user who typed a signal that does not exist. */
    public String unknown(String text) {
        return "unknown signal '" + text + "': use a name such as TERM, KILL, USR1 or a number 1-"
                + byNumber.keySet().stream().mapToInt(Integer::intValue).max().orElse(31)
                + " (`signals` lists them)";
    }

    private static Signals load() {
        Map<Integer, String> names = fromLibc();
        if (names.isEmpty()) {
            names = fromShell();
        }
        if (names.isEmpty()) {
            names = posixFixed();
        }
        return new Signals(names);
    }

    private static Map<Integer, String> fromLibc() {
        Map<Integer, String> names = new TreeMap<>();
        try {
            Libc libc = Libc.get();
            int rtMin = libc.__libc_current_sigrtmin();
            int rtMax = libc.__libc_current_sigrtmax();
            for (int n = 1; n < rtMin; n++) {
                String name = libc.sigabbrev_np(n);
                if (name != null) {
                    names.put(n, name);
                }
            }
            // Real-time signals are named as bash names them.
            int middle = (rtMin + rtMax) / 2;
            for (int n = rtMin; n <= rtMax; n++) {
                String name = n == rtMin ? "RTMIN"
                        : n == rtMax ? "RTMAX"
                        : n <= middle ? "RTMIN+" + (n - rtMin)
                        : "RTMAX-" + (rtMax - n);
                names.put(n, name);
            }
        } catch (RuntimeException | LinkageError notGlibc) {
            names.clear();
        }
        return names;
    }

    private static final Pattern NUMBERED = Pattern.compile("(\\d+)\\)\\s+SIG(\\S+)");

    /** bash prints "1) SIGHUP  2) SIGINT ..." on every Unix it runs on. */
    private static Map<Integer, String> fromShell() {
        Map<Integer, String> names = new TreeMap<>();
        try {
            Process bash = new ProcessBuilder("bash", "-c", "kill -l").redirectErrorStream(true).start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            bash.waitFor(5, TimeUnit.SECONDS);
            Matcher m = NUMBERED.matcher(out);
            while (m.find()) {
                names.put(Integer.parseInt(m.group(1)), m.group(2));
            }
        } catch (IOException | RuntimeException e) {
            names.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return names;
    }

    /** The numbers POSIX itself fixes; the last resort. */
    private static Map<Integer, String> posixFixed() {
        Map<Integer, String> names = new TreeMap<>();
        List<Object> pairs = new ArrayList<>(List.of(1, "HUP", 2, "INT", 3, "QUIT", 6, "ABRT", 9, "KILL", 14, "ALRM", 15, "TERM"));
        for (int i = 0; i < pairs.size(); i += 2) {
            names.put((Integer) pairs.get(i), (String) pairs.get(i + 1));
        }
        return names;
    }
}

package procsh.core;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, {@code 1h}, {@code 7d}; a bare number is seconds. */
public final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})?)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ProcshException("bad duration '" + text + "': write it like 500ms, 2s, 1.5s, 1m, 7d or a number of seconds");
        }
        BigDecimal amount = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long perUnit = switch (unit) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        return Duration.ofMillis(amount.multiply(BigDecimal.valueOf(perUnit)).longValue());
    }

    /** Accepts what scripts pass: a Duration, a number of milliseconds, or text. */
    public static Duration of(Object value) {
        if (value instanceof Duration d) {
            return d;
        }
        if (value instanceof Number n) {
            return Duration.ofMillis(n.longValue());
        }
        return parse(String.valueOf(value));
    }

    /** {@code 450ms}, {@code 2s}, {@code 1.5s}, {@code 3m 20s}, {@code 2h 5m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            long tenths = Math.round(ms / 100.0);
            return tenths % 10 == 0 ? (tenths / 10) + "s" : (tenths / 10) + "." + (tenths % 10) + "s";
        }
        long s = ms / 1000;
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : " " + (s % 60) + "s");
        }
        return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : " " + (s % 3600) / 60 + "m");
    }
}

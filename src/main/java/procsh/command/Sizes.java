package procsh.command;

import java.util.Locale;

/** Byte counts for people: {@code 812B}, {@code 4.1K}, {@code 12.3M}, {@code 1.2G}. */
public final class Sizes {

    private Sizes() {
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String units = "KMGTP";
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length() - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f%c" : "%.0f%c", value, units.charAt(unit));
    }
}

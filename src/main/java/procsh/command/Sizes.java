package procsh.command;

import java.util.Locale;

/** Byte counts for people: {@code 812B}, {@code 4.1K}, {@code 12.3M}, {@code 1.2G}. */
public final class Sizes {

    private Sizes() {
    }

    /** {@code 100M}, {@code 64K}, {@code 1G}, {@code 1.5G}, {@code 4096} (bytes); K, M, G are powers of 1024. */
    public static long parse(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12}(?:\\.\\d{1,6})?)\\s*([kmgt]?)(?:i?b)?")
                .matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new procsh.core.ProcshException("bad size '" + procsh.text.Escape.echo(text) + "': write it like 64K, 100M, 1G or a number of bytes");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(1L << shift)).longValue();
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

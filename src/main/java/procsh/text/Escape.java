package procsh.text;

/**
 * Makes text a job controls (argv, names, cwd, env, output) safe to show a person: nothing in it
 * can move the cursor, set the window title, clear the screen, ring the bell or reorder text.
 * Every C0 and C1 control, DEL, a lone surrogate and the bidirectional overrides are written as
 * visible escapes ({@code \e}, {@code \n}, {@code \x7f}, {@code \u202e}). JSON has its own exact
 * escaping and never goes through here.
 */
public final class Escape {

    /** How much of a user's input an error message echoes before it is cut. */
    public static final int ECHO_MAX = 100;
    private static final char ELLIPSIS = '\u2026';

    private Escape() {
    }

    /** A field shown to a person (an argument, a name, a path): every control escaped, tab included. */
    public static String field(String text) {
        return escape(text, false);
    }

    /** A line of a job's output: as {@link #field} but a tab stays a tab (it moves nothing but the cursor right). */
    public static String outputLine(String text) {
        return escape(text, true);
    }

    /** Input echoed back in an error: escaped, and cut to {@value #ECHO_MAX} characters with an ellipsis. */
    public static String echo(String text) {
        return cut(field(text), ECHO_MAX);
    }

    /** Cuts already-safe text to at most {@code max} characters (plus an ellipsis), never inside an escape or a pair. */
    public static String cut(String safe, int max) {
        if (safe.length() <= max) {
            return safe;
        }
        int end = max;
        // Never leave half of a surrogate pair or of a backslash escape behind.
        if (Character.isLowSurrogate(safe.charAt(end)) && end > 0) {
            end--;
        }
        int backslash = safe.lastIndexOf('\\', end - 1);
        if (backslash >= 0 && end - backslash < 6 && escapeLength(safe, backslash) > end - backslash) {
            end = backslash;
        }
        return safe.substring(0, end) + ELLIPSIS;
    }

    /** Whether the text would be shown as it is. */
    public static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (needsEscape(text, i, false)) {
                return false;
            }
        }
        return true;
    }

    private static int escapeLength(String s, int at) {
        if (at + 1 >= s.length()) {
            return 1;
        }
        return switch (s.charAt(at + 1)) {
            case 'x' -> 4;
            case 'u' -> 6;
            default -> 2;
        };
    }

    private static String escape(String text, boolean keepTab) {
        int i = 0;
        while (i < text.length() && !needsEscape(text, i, keepTab)) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            // A backslash is not doubled: a path or a regex reads as typed; JSON is the exact form.
            if (!needsEscape(text, i, keepTab)) {
                b.append(c);
            } else {
                switch (c) {
                    case '\u001b' -> b.append("\\e");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    case '\u0007' -> b.append("\\a");
                    case '\b' -> b.append("\\b");
                    case '\f' -> b.append("\\f");
                    case '\u000b' -> b.append("\\v");
                    case '\0' -> b.append("\\0");
                    default -> b.append(c < 0x80 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                }
            }
        }
        return b.toString();
    }

    private static boolean needsEscape(String s, int i, boolean keepTab) {
        char c = s.charAt(i);
        if (c == '\t') {
            return !keepTab;
        }
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
            return true;
        }
        if (c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u200e' || c == '\u200f'
                || c == '\u061c' || c == '\u2028' || c == '\u2029' || c == '\ufeff') {
            return true; // bidi overrides and line separators: they reorder or break what follows
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}

package procsh.command;

import org.jline.utils.WCWidth;

/**
 * How many terminal columns text takes: a CJK or emoji character takes two, a combining mark
 * none. Tables align by this, not by {@code String.length()}. For text already escaped (no controls).
 */
public final class DisplayWidth {

    private DisplayWidth() {
    }

    public static int of(String text) {
        int columns = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            columns += Math.max(0, WCWidth.wcwidth(cp));
            i += Character.charCount(cp);
        }
        return columns;
    }

    /** Spaces that bring the text to {@code columns} wide (none if it is as wide already). */
    public static String padding(String text, int columns) {
        return " ".repeat(Math.max(0, columns - of(text)));
    }

    /** The text cut to at most {@code columns} wide, an ellipsis ending it when cut; never inside a pair or an escape. */
    public static String cut(String text, int columns) {
        if (of(text) <= columns) {
            return text;
        }
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int w = Math.max(0, WCWidth.wcwidth(cp));
            if (used + w > columns - 1) {
                break;
            }
            used += w;
            i += Character.charCount(cp);
        }
        return procsh.text.Escape.cut(text, i);
    }
}

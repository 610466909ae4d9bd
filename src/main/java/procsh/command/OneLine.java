package procsh.command;

import procsh.text.Escape;

/** Makes text safe to print as one line of a message: control characters escaped, long text cut. */
public final class OneLine {

    /** A whole message (which may quote a path or a parser's words) is cut here; echoed input far sooner. */
    private static final int MAX = 300;

    private OneLine() {
    }

    public static String of(String text) {
        return Escape.cut(Escape.field(text), MAX);
    }
}

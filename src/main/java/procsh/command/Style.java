package procsh.command;

/** ANSI colour for people on a terminal; plain text for everyone else (pipes, NO_COLOR). */
public final class Style {

    private final boolean color;

    public Style(boolean color) {
        this.color = color;
    }

    public boolean enabled() {
        return color;
    }

    public String bold(String s) {
        return sgr("1", s);
    }

    public String dim(String s) {
        return sgr("2", s);
    }

    public String red(String s) {
        return sgr("31", s);
    }

    public String green(String s) {
        return sgr("32", s);
    }

    public String yellow(String s) {
        return sgr("33", s);
    }

    public String cyan(String s) {
        return sgr("36", s);
    }

    /** Colours that tell jobs apart in a merged stream, chosen by the job's id. */
    private static final String[] CYCLE = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"};

    /** {@code s} in the colour of the {@code n}th job of a merged stream. */
    public String cycle(int n, String s) {
        return sgr(CYCLE[Math.floorMod(n - 1, CYCLE.length)], s);
    }

    private String sgr(String code, String s) {
        return color && !s.isEmpty() ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    /** The colour a state reads in: green running, yellow stopped/stopping/backoff, red killed, plain exited. */
    public String state(procsh.core.JobState state, String text) {
        return switch (state) {
            case RUNNING -> green(text);
            case STOPPED, STOPPING, BACKOFF, UNKNOWN -> yellow(text);
            case KILLED -> red(text);
            case EXITED -> text;
        };
    }
}

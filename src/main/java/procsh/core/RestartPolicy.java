package procsh.core;

import java.time.Duration;
import java.util.Locale;

/**
 * When a job that ended is started again, as supervisord's autorestart and pm2 do. The delay
 * before each restart doubles from {@code backoffMin} to {@code backoffMax}; a run that lasted at
 * least {@link #STABLE} (or the longest backoff, if longer) counts as healthy and resets both the
 * delay and the count of restarts that {@code maxRestarts} limits, so a job that crashes once a
 * day is never given up on, and one that crashes at start is, after {@code maxRestarts} tries.
 */
public record RestartPolicy(Mode mode, int maxRestarts, Duration backoffMin, Duration backoffMax) {

    /** A run at least this long resets the backoff and the count of quick restarts. */
    public static final Duration STABLE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);
    /** No limit on restarts. */
    public static final int UNLIMITED = -1;

    public static final RestartPolicy NEVER = new RestartPolicy(Mode.NO, 0, DEFAULT_MIN, DEFAULT_MAX);

    public enum Mode {
        /** Never restarted (the default). */
        NO,
        /** Restarted when it exits non-zero or dies of a signal. */
        ON_FAILURE,
        /** Restarted whenever it ends, until stopped. */
        ALWAYS;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Mode parse(String text) {
            for (Mode m : values()) {
                if (m.label().equals(text.strip().toLowerCase(Locale.ROOT)) || m.name().equalsIgnoreCase(text.strip())) {
                    return m;
                }
            }
            throw new ProcshException("bad restart policy '" + procsh.text.Escape.echo(text) + "': use on-failure, always or no");
        }
    }

    public RestartPolicy {
        if (maxRestarts < UNLIMITED) {
            throw new ProcshException("--max-restarts wants 0 or more");
        }
        if (backoffMin.isNegative() || backoffMax.compareTo(backoffMin) < 0) {
            throw new ProcshException("a backoff goes from a shorter delay to a longer one, e.g. 1s..30s");
        }
    }

    public static RestartPolicy of(Mode mode) {
        return new RestartPolicy(mode, UNLIMITED, DEFAULT_MIN, DEFAULT_MAX);
    }

    public RestartPolicy maxRestarts(int max) {
        return new RestartPolicy(mode, max, backoffMin, backoffMax);
    }

    /** {@code 2s} (always 2 s) or {@code 1s..30s} (doubling from 1 s up to 30 s). */
    public RestartPolicy backoff(String spelled) {
        int dots = spelled.indexOf("..");
        try {
            if (dots < 0) {
                Duration d = Durations.parse(spelled);
                return new RestartPolicy(mode, maxRestarts, d, d);
            }
            return new RestartPolicy(mode, maxRestarts, Durations.parse(spelled.substring(0, dots)),
                    Durations.parse(spelled.substring(dots + 2)));
        } catch (ProcshException e) {
            throw new ProcshException("bad backoff '" + procsh.text.Escape.echo(spelled) + "': give a delay (2s) or a range (1s..30s)");
        }
    }

    public boolean restarts() {
        return mode != Mode.NO;
    }

    /** Whether a run that ended so is started again, given the quick restarts already made in a row. */
    boolean wantsRestart(Ending ending, int quickRestarts) {
        if (mode == Mode.NO || maxRestarts != UNLIMITED && quickRestarts >= maxRestarts) {
            return false;
        }
        return mode == Mode.ALWAYS || ending.killed() || ending.code() != 0;
    }

    /** The delay before the restart that follows {@code quickRestarts} quick ones. */
    Duration delay(int quickRestarts) {
        long min = backoffMin.toMillis();
        long shift = Math.min(quickRestarts, 20);
        return Duration.ofMillis(Math.min(backoffMax.toMillis(), min << shift));
    }

    /** Whether a run this long was healthy: it resets the backoff. */
    boolean stable(Duration ran) {
        return ran.compareTo(STABLE.compareTo(backoffMax) > 0 ? STABLE : backoffMax) >= 0;
    }

    /** {@code on-failure (max 5, backoff 1s..30s)}. */
    public String describe() {
        if (mode == Mode.NO) {
            return "no";
        }
        String backoff = backoffMin.equals(backoffMax) ? Durations.format(backoffMin)
                : Durations.format(backoffMin) + ".." + Durations.format(backoffMax);
        return mode.label() + " (" + (maxRestarts == UNLIMITED ? "no limit" : "max " + maxRestarts) + ", backoff " + backoff + ")";
    }
}

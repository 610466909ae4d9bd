package procsh.core;

import java.time.Duration;
import java.util.List;

/**
 * What a wait saw: the jobs that ended and those still running when it gave up. A timeout is an
 * answer, not an error; the processes were not touched.
 */
public record WaitResult(List<Job> ended, List<Job> running, Duration waited, boolean timedOut) {

    /** For one job: {@code exited 0}, or {@code still running after 2s}. */
    public String describe() {
        if (ended.size() + running.size() == 1) {
            return timedOut ? "still running after " + Durations.format(waited) : ended.get(0).ending().describe();
        }
        return timedOut
                ? running.size() + " still running after " + Durations.format(waited) + ", " + ended.size() + " ended"
                : ended.size() + " ended";
    }
}

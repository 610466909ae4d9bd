package procsh.core;

import java.time.Duration;

/** Told when a job's end is observed. Called on the table's timer thread: return quickly. */
@FunctionalInterface
public interface JobListener {
    void jobEnded(Job job);

    /** A run of a job with a restart policy ended, and it starts again after {@code delay}. */
    default void jobRestarting(Job job, Ending run, Duration delay) {
    }
}

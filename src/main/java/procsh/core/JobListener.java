package procsh.core;

import java.time.Duration;

/** Told when a job's end is observed. Called on the table's timer thread: return quickly. */
@FunctionalInterface
public interface JobListener {
    void jobEnded(Job job);

    /** A run of a job with a restart policy ended, and it starts again after {@code delay}. */
    default void jobRestarting(Job job, Ending run, Duration delay) {
    }

    /** The connection to {@code host} dropped: its {@code jobs} running there show as unknown while procsh reconnects. */
    default void hostLost(String host, int jobs) {
    }

    /**
     * procsh reconnected to {@code host}: {@code readopted} jobs are followed again; {@code gone} were
     * no longer known there (the agent had ended), so how they ended stays unknown.
     */
    default void hostBack(String host, int readopted, int gone) {
    }
}

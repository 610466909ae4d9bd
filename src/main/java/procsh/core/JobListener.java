package procsh.core;

/** Told when a job's end is observed. Called on the table's timer thread: return quickly. */
@FunctionalInterface
public interface JobListener {
    void jobEnded(Job job);
}

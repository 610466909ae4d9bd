package procsh.command;

import java.util.List;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.Observation;

/**
 * The one line added wherever a job's end is reported to a person when processes of it still run
 * (a child that stayed in its group, or one that escaped it): how many, and how to end them.
 */
public final class LeftRunning {

    private LeftRunning() {
    }

    /** {@code "; 2 processes of it still run (stop 1 --tree ends them)"}, or empty when nothing is left. */
    public static String note(JobTable table, Job job) {
        // What the table knows (for a remote job, what its agent said at the end): never a round trip, as end notices run on the table's thread.
        return note(table.remaining(job).size(), job);
    }

    /** As above, from what a command has already seen. */
    public static String note(Observation seen, Job job) {
        return note(seen.remaining(job).size(), job);
    }

    private static String note(int left, Job job) {
        if (left == 0) {
            return "";
        }
        return "; " + (left == 1 ? "1 process of it still runs (stop " + job.id() + " --tree ends it)"
                : left + " processes of it still run (stop " + job.id() + " --tree ends them)");
    }
}

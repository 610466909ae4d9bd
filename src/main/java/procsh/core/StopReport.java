package procsh.core;

import java.time.Duration;
import java.util.List;

/**
 * How a stop went: the job's ending, whether it needed SIGKILL, and the PIDs of any process of
 * its group or tree still alive afterwards (there should be none).
 */
public record StopReport(Job job, Ending ending, boolean escalated, List<Long> survivors, Duration took) {

    public String describe() {
        StringBuilder text = new StringBuilder(ending == null ? "still running" : ending.describe());
        if (escalated) {
            text.append("; needed SIGKILL after the grace period");
        }
        if (!survivors.isEmpty()) {
            text.append("; still alive: ").append(survivors);
        }
        return text.toString();
    }
}

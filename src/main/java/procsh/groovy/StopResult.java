package procsh.groovy;

import java.time.Duration;
import java.util.List;
import procsh.core.StopReport;

/** How a script's {@code stop()} went; prints as one line, e.g. {@code killed by SIGTERM (-15), sent by you}. */
public final class StopResult {

    private final StopReport report;
    private final ScriptJob job;

    StopResult(StopReport report, ScriptJob job) {
        this.report = report;
        this.job = job;
    }

    public ScriptJob getJob() {
        return job;
    }

    /** True when the grace period ran out and SIGKILL was needed. */
    public boolean isEscalated() {
        return report.escalated();
    }

    /** PIDs of the job's processes still alive after the stop; there should be none. */
    public List<Long> getSurvivors() {
        return report.survivors();
    }

    public Duration getTook() {
        return report.took();
    }

    /** How the job ended, e.g. {@code exited 0}. */
    public String getEnding() {
        return report.ending() == null ? "still running" : report.ending().describe();
    }

    public Integer getExitCode() {
        return job.getExitCode();
    }

    public String getSignal() {
        return job.getSignal();
    }

    public Integer getReturncode() {
        return job.getReturncode();
    }

    @Override
    public String toString() {
        return report.describe();
    }
}

package procsh.core;

import java.util.Locale;

/** Where a job is in its life. The lower-case name is what users and JSON see. */
public enum JobState {
    RUNNING,
    /** Stopped by SIGSTOP/SIGTSTP, as the OS reports it. */
    STOPPED,
    /** A graceful stop is waiting out its grace period. */
    STOPPING,
    /** Ended, and waiting out its restart policy's delay before it is started again. */
    BACKOFF,
    /** Runs on another host whose connection was lost: how it is doing there is not known. */
    UNKNOWN,
    EXITED,
    KILLED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean ended() {
        return this == EXITED || this == KILLED;
    }
}

package procsh.core;

/** Who sent a signal to a job. */
public enum Sender {
    USER("you"),
    ESCALATION("stop's escalation"),
    TIMEOUT("the time limit"),
    SESSION_EXIT("procsh's exit");

    private final String description;

    Sender(String description) {
        this.description = description;
    }

    /** As it reads after "sent by". */
    public String description() {
        return description;
    }
}

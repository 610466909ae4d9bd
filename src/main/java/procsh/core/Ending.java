package procsh.core;

import procsh.os.Signal;

/**
 * How a job ended, told honestly: an exit code, or a signal (and who sent it when procsh did).
 * When the backend only saw a shell-style code (128+N) for a signal procsh did not send, the
 * ending is {@link #certain() uncertain} and says both readings.
 *
 * @param code    the exit code, or the shell-style code of an uncertain ending; 0 when killed
 * @param signal  the signal that killed the job, or the candidate of an uncertain ending; else null
 * @param sender  who sent {@code signal}, when procsh sent it; null for a signal from outside
 * @param certain false only for an ending the backend cannot tell apart
 */
public record Ending(int code, Signal signal, Sender sender, boolean coreDumped, boolean certain, String backend) {

    public static Ending exited(int code) {
        return new Ending(code, null, null, false, true, null);
    }

    public static Ending killed(Signal signal, Sender sender, boolean coreDumped) {
        return new Ending(0, signal, sender, coreDumped, true, null);
    }

    public static Ending uncertain(int code, Signal candidate, String backend) {
        return new Ending(code, candidate, null, false, false, backend);
    }

    public boolean killed() {
        return certain && signal != null;
    }

    public JobState state() {
        return killed() ? JobState.KILLED : JobState.EXITED;
    }

    /** The exit code, or null when the job died of a signal. */
    public Integer exitCode() {
        return killed() ? null : code;
    }

    /** Python's {@code returncode}: the exit code, or minus the signal number. */
    public int returncode() {
        return killed() ? -signal.number() : code;
    }

    /** What bash's {@code $?} would say: the exit code, or 128 + the signal number. */
    public int shellStatus() {
        return killed() ? 128 + signal.number() : code;
    }

    /** {@code exited 3}, {@code killed by SIGKILL (-9), sent by you}. */
    public String describe() {
        if (!certain) {
            return "exited " + code + " or killed by " + signal.name() + " (-" + signal.number()
                    + "): the " + backend + " backend cannot tell which";
        }
        if (signal == null) {
            return "exited " + code;
        }
        StringBuilder text = new StringBuilder("killed by ").append(signal.name()).append(" (-").append(signal.number()).append(')');
        if (coreDumped) {
            text.append(", core dumped");
        }
        text.append(sender != null ? ", sent by " + sender.description() : ", from outside procsh");
        return text.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}

package procsh.command;

/** A command that can be cut short by Ctrl-C and says what goes on after it. */
public interface Interruptible {
    /** E.g. "the jobs keep running". */
    String afterInterrupt();
}

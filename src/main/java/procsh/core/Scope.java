package procsh.core;

/** Which processes a signal reaches. */
public enum Scope {
    /** The job's own process only. */
    PROCESS,
    /** The job's process group: the job and every descendant that stayed in it. */
    GROUP,
    /** The group, plus descendants that left it (found by parent and by procsh's environment marker). */
    TREE
}

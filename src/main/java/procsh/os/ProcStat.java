package procsh.os;

/**
 * One process as /proc/PID/stat describes it at one instant.
 *
 * @param state      the kernel's state letter: R, S, D, T (stopped), t (traced), Z (zombie) ...
 * @param startTicks start time in clock ticks since boot: with the PID, a process's identity
 */
public record ProcStat(long pid, String command, char state, long ppid, long pgrp, long session,
                       long cpuTicks, long startTicks, long rssPages) {

    public boolean stopped() {
        return state == 'T' || state == 't';
    }

    public boolean zombie() {
        return state == 'Z' || state == 'X';
    }
}

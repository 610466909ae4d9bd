package procsh.core;

import java.time.Duration;
import java.util.List;
import procsh.os.ProcStat;

/**
 * What the OS says about a live job: its kernel state letter, group, session, CPU, memory, descendants.
 *
 * @param cpu    the job's own process only
 * @param jobCpu the job's own process, every live member of its group and every descendant: what
 *               the job costs (a {@code sh -c 'yes > /dev/null'} burns its CPU in the child)
 */
public record LiveStats(char osState, long pgid, long sid, Duration cpu, long rssBytes, List<ProcStat> descendants,
                        Duration jobCpu) {
}

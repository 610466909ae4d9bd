package procsh.core;

import java.time.Duration;
import java.util.List;
import procsh.os.ProcStat;

/** What the OS says about a live job: its kernel state letter, group, session, CPU, memory, descendants. */
public record LiveStats(char osState, long pgid, long sid, Duration cpu, long rssBytes, List<ProcStat> descendants) {
}

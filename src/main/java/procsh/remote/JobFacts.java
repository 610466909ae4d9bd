package procsh.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import procsh.core.Job;
import procsh.core.JobState;
import procsh.core.JobTable;
import procsh.core.LiveStats;
import procsh.core.RemoteRun;
import procsh.os.ProcStat;

/**
 * The {@code stats} answer's form, both ends of it: what the agent says of a job (its state, what
 * {@code list}, {@code tree} and {@code info} show of it, and once it has ended what it left
 * running), and how this side reads it back. Process names there are the job's to choose: they
 * are escaped where they are shown, as local ones are.
 */
final class JobFacts {

    private JobFacts() {
    }

    /** On the agent: the job as its own table sees it now. */
    static Map<String, Object> of(JobTable table, Job job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job.id());
        m.put("state", job.state().label());
        job.live().ifPresent(live -> {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("os_state", String.valueOf(live.osState()));
            l.put("pgid", live.pgid());
            l.put("sid", live.sid());
            l.put("cpu_ms", live.cpu().toMillis());
            l.put("job_cpu_ms", live.jobCpu().toMillis());
            l.put("rss_bytes", live.rssBytes());
            l.put("descendants", processes(live.descendants()));
            m.put("live", l);
        });
        // Only after its end: while it runs, leftovers mean nothing yet and cost a read of every process's environment.
        m.put("left", job.hasEnded() ? processes(table.remaining(job)) : List.of());
        return m;
    }

    /** On the agent, in a job's {@code ended} event: what it left running, read once, at its end. */
    static List<Object> left(JobTable table, Job job) {
        return processes(table.remaining(job));
    }

    /** On this side: the processes an {@code ended} event says the job left running. */
    static List<ProcStat> left(Object list) {
        return processes(list);
    }

    private static List<Object> processes(List<ProcStat> list) {
        List<Object> out = new ArrayList<>();
        for (ProcStat s : list) {
            out.add(Map.of("pid", s.pid(), "ppid", s.ppid(), "pgrp", s.pgrp(), "sid", s.session(), "command", s.command(),
                    "state", String.valueOf(s.state())));
        }
        return out;
    }

    /** On this side: one job's facts from the answer. */
    static RemoteRun.Facts read(Map<?, ?> m) {
        LiveStats live = null;
        if (m.get("live") instanceof Map<?, ?> l) {
            live = new LiveStats(letter(l.get("os_state")), number(l.get("pgid")), number(l.get("sid")),
                    Duration.ofMillis(number(l.get("cpu_ms"))), number(l.get("rss_bytes")), processes(l.get("descendants")),
                    Duration.ofMillis(number(l.get("job_cpu_ms"))));
        }
        return new RemoteRun.Facts(state(m.get("state")), live, processes(m.get("left")));
    }

    private static JobState state(Object label) {
        try {
            return JobState.valueOf(String.valueOf(label).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return JobState.UNKNOWN;
        }
    }

    /** Remote processes: their start time and CPU are left at 0, as nothing here signals or measures them. */
    private static List<ProcStat> processes(Object list) {
        List<ProcStat> out = new ArrayList<>();
        if (list instanceof List<?> items) {
            for (Object o : items) {
                Map<?, ?> p = (Map<?, ?>) o;
                out.add(new ProcStat(number(p.get("pid")), String.valueOf(p.get("command")), letter(p.get("state")),
                        number(p.get("ppid")), number(p.get("pgrp")), number(p.get("sid")), 0, 0, 0));
            }
        }
        return out;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }

    private static char letter(Object o) {
        return o instanceof String s && s.length() == 1 ? s.charAt(0) : '?';
    }
}

package procsh.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import procsh.os.Environment;

/**
 * The environment a job starts with, and what it has beyond procsh's own (the session's setenv,
 * then the job's --env; the session's unsetenv, then its --unset), which {@code show} reports.
 *
 * @param environment the job's variables, without the marker the table adds
 * @param added       variables set or changed, in the order they were given
 * @param removed     variables taken away, sorted
 */
record JobEnvironment(Environment environment, Map<String, String> added, Set<String> removed) {

    private static final String PYTHON_UNBUFFERED = "PYTHONUNBUFFERED";

    /** Remembers the last answer for a request that adds nothing of its own, the usual spawn. */
    static final class Cache {
        private record Entry(SessionContext.Snapshot session, JobEnvironment plain) {
        }

        private volatile Entry last;

        JobEnvironment of(SessionContext.Snapshot current, SpawnRequest request) {
            boolean plainRequest = request.env().isEmpty() && request.unset().isEmpty() && request.pythonUnbuffered();
            if (!plainRequest) {
                return JobEnvironment.of(current, request);
            }
            Entry known = last;
            if (known != null && known.session() == current) {
                return known.plain();
            }
            JobEnvironment made = JobEnvironment.of(current, request);
            last = new Entry(current, made);
            return made;
        }
    }

    static JobEnvironment of(SessionContext.Snapshot session, SpawnRequest request) {
        request.env().forEach((key, value) -> {
            SessionContext.checkName(key);
            SessionContext.checkValue(key, value);
        });
        Map<String, String> set = new LinkedHashMap<>(request.env());
        Environment base = session.environment();
        if (request.pythonUnbuffered() && !set.containsKey(PYTHON_UNBUFFERED) && !request.unset().contains(PYTHON_UNBUFFERED)
                && base.get(PYTHON_UNBUFFERED) == null) {
            // So Python's output reaches the log as it is printed, not when a buffer fills.
            set.put(PYTHON_UNBUFFERED, "1");
        }
        Map<String, String> added = new LinkedHashMap<>(session.added());
        added.putAll(set);
        request.unset().forEach(added::remove);
        Set<String> removed = new TreeSet<>(session.removed());
        removed.addAll(request.unset());
        removed.removeAll(set.keySet());
        return new JobEnvironment(base.with(set, request.unset()),
                Collections.unmodifiableMap(added), Collections.unmodifiableSet(removed));
    }
}

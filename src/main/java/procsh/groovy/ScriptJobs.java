package procsh.groovy;

import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import procsh.core.Job;

/**
 * The table as scripts see it: {@code jobs.each { ... }}, {@code jobs[2]}, {@code jobs['web']},
 * {@code jobs.running}, {@code jobs.ended}, {@code jobs.size()}. Every read is a fresh snapshot.
 */
public final class ScriptJobs implements Iterable<ScriptJob> {

    private final ScriptContext context;

    ScriptJobs(ScriptContext context) {
        this.context = context;
    }

    /** {@code jobs[2]}: the job with that id; an error naming the way out if there is none. */
    public ScriptJob getAt(int id) {
        return context.wrap(context.table().get(id));
    }

    /** {@code jobs['web']}, {@code jobs['%2']}, {@code jobs['2']}: by name (the newest of that name) or id. */
    public ScriptJob getAt(String ref) {
        return context.wrap(context.table().get(ref));
    }

    /** Every job, oldest first. */
    public List<ScriptJob> getAll() {
        return wrap(context.table().jobs());
    }

    public List<ScriptJob> getRunning() {
        return wrap(context.table().running());
    }

    public List<ScriptJob> getEnded() {
        return wrap(context.table().ended());
    }

    public int size() {
        return context.table().jobs().size();
    }

    public boolean isEmpty() {
        return context.table().jobs().isEmpty();
    }

    @Override
    public Iterator<ScriptJob> iterator() {
        return getAll().iterator();
    }

    private List<ScriptJob> wrap(List<Job> list) {
        return list.stream().map(context::wrap).toList();
    }

    /** One job per line. */
    @Override
    public String toString() {
        List<ScriptJob> all = getAll();
        return all.isEmpty() ? "no jobs" : all.stream().map(ScriptJob::toString).collect(Collectors.joining("\n"));
    }
}

package procsh.groovy;

import groovy.lang.Binding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The session's variables, readable from the completion and onExit threads while a script runs. */
final class SessionBinding extends Binding {

    private final ScriptContext context;
    private final Map<String, Object> variables;

    private SessionBinding(Map<String, Object> variables, ScriptContext context) {
        super(variables);
        this.variables = variables;
        this.context = context;
    }

    static SessionBinding create(ScriptContext context) {
        return new SessionBinding(Collections.synchronizedMap(new LinkedHashMap<>()), context);
    }

    ScriptContext context() {
        return context;
    }

    /** The variables now, to tell later which ones an evaluation made or replaced. */
    Map<String, Object> snapshot() {
        synchronized (variables) {
            return new LinkedHashMap<>(variables);
        }
    }

    /**
     * Drops the variables made or replaced since {@code before}, or every variable when
     * {@code everything}, but those in {@code keep}; returns their names.
     */
    List<String> drop(Map<String, Object> before, boolean everything, java.util.Set<String> keep) {
        List<String> dropped = new ArrayList<>();
        synchronized (variables) {
            for (var it = variables.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                boolean changed = !before.containsKey(e.getKey()) || before.get(e.getKey()) != e.getValue();
                if (!keep.contains(e.getKey()) && (everything || changed)) {
                    dropped.add(e.getKey());
                    it.remove();
                }
            }
        }
        return dropped;
    }

    /** The variable names now, in the order they were made. */
    List<String> names() {
        synchronized (variables) {
            return new ArrayList<>(variables.keySet());
        }
    }
}

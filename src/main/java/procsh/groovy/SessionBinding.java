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

    /** The variable names now, in the order they were made. */
    List<String> names() {
        synchronized (variables) {
            return new ArrayList<>(variables.keySet());
        }
    }
}

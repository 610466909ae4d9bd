package procsh.groovy;

import groovy.lang.GroovyObject;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * TAB completion of Groovy input: session variables and top-level functions for a bare word;
 * after a dot, the members of the value before it. The receiver is typed without running any
 * code: from a variable's value, then from the declared types of the members chained after it,
 * e.g. {@code jobs[1].stop().}
 */
final class GroovyCompleter {

    /** Groovy plumbing every object has, never what a person is looking for. */
    private static final Set<String> HIDDEN = Set.of("getMetaClass", "setMetaClass", "invokeMethod", "getProperty",
            "setProperty", "getClass", "getAt", "run", "main", "evaluate", "getBinding", "setBinding", "toString", "equals",
            "hashCode");

    private final Function<String, Object> variables;
    private final Supplier<List<String>> names;

    GroovyCompleter(Supplier<List<String>> names, Function<String, Object> variables) {
        this.names = names;
        this.variables = variables;
    }

    Completions complete(String buffer, int cursor) {
        if (buffer == null) {
            return Completions.none(0);
        }
        int end = Math.max(0, Math.min(cursor, buffer.length()));
        String text = buffer.substring(0, end);
        int start = end;
        while (start > 0 && Character.isJavaIdentifierPart(text.charAt(start - 1))) {
            start--;
        }
        String prefix = text.substring(start);
        Set<String> found = new TreeSet<>();
        if (start > 0 && text.charAt(start - 1) == '.') {
            Type receiver = receiverType(text, start - 1);
            if (receiver != null) {
                found.addAll(members(raw(receiver)));
            }
        } else {
            found.addAll(names.get());
            found.addAll(members(ProcshScript.class));
        }
        List<String> candidates = new ArrayList<>();
        for (String c : found) {
            if (c.startsWith(prefix)) {
                candidates.add(c);
            }
        }
        return new Completions(start, candidates);
    }

    /** One link of a chain such as {@code jobs[1].stop()}: a name, whether it was called, and how often indexed. */
    private record Link(String name, boolean called, boolean calledWithArguments, int indexed) {
    }

    /** The type of the expression that ends just before {@code dot}, or null when it cannot be told. */
    private Type receiverType(String text, int dot) {
        List<Link> chain = new ArrayList<>();
        int i = dot;
        while (true) {
            boolean called = false;
            boolean withArguments = false;
            int indexed = 0;
            int j = i;
            while (j > 0 && (text.charAt(j - 1) == ')' || text.charAt(j - 1) == ']')) {
                int open = matchingOpen(text, j - 1);
                if (open < 0) {
                    return null;
                }
                if (text.charAt(j - 1) == ')') {
                    if (called || indexed > 0) {
                        return null;
                    }
                    called = true;
                    withArguments = !text.substring(open + 1, j - 1).isBlank();
                } else {
                    indexed++;
                }
                j = open;
            }
            int k = j;
            while (k > 0 && Character.isJavaIdentifierPart(text.charAt(k - 1))) {
                k--;
            }
            if (k == j || !Character.isJavaIdentifierStart(text.charAt(k))) {
                return null;
            }
            chain.add(0, new Link(text.substring(k, j), called, withArguments, indexed));
            if (k > 0 && text.charAt(k - 1) == '.') {
                i = k - 1;
                if (i > 0 && text.charAt(i - 1) == '?') {
                    i--;
                }
            } else {
                break;
            }
        }
        Link first = chain.get(0);
        Type type;
        if (first.called()) {
            type = returnType(ProcshScript.class, first);
        } else {
            Object value = variables.apply(first.name());
            type = value == null ? null : value.getClass();
        }
        type = index(type, first.indexed());
        for (Link link : chain.subList(1, chain.size())) {
            if (type == null) {
                return null;
            }
            type = index(link.called() ? returnType(raw(type), link) : propertyType(raw(type), link.name()), link.indexed());
        }
        return type;
    }

    /** Index of the bracket opening the one that closes at {@code close}, or -1. */
    private static int matchingOpen(String text, int close) {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == ')' || c == ']') {
                depth++;
            } else if (c == '(' || c == '[') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static Type returnType(Class<?> type, Link link) {
        Method fallback = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals(link.name())) {
                if ((m.getParameterCount() > 0) == link.calledWithArguments()) {
                    return m.getGenericReturnType();
                }
                fallback = m;
            }
        }
        return fallback == null ? null : fallback.getGenericReturnType();
    }

    private static Type propertyType(Class<?> type, String name) {
        String suffix = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (String getter : List.of("get" + suffix, "is" + suffix)) {
            try {
                return type.getMethod(getter).getGenericReturnType();
            } catch (NoSuchMethodException e) {
                // Try the next spelling, then a field.
            }
        }
        try {
            return type.getField(name).getGenericType();
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    /** The type after {@code x[...]}, applied {@code times} times: getAt's result, a list's element, an array's component. */
    private static Type index(Type type, int times) {
        for (int n = 0; n < times && type != null; n++) {
            Class<?> raw = raw(type);
            if (raw.isArray()) {
                type = raw.getComponentType();
            } else if (type instanceof ParameterizedType p && Collection.class.isAssignableFrom(raw)) {
                type = p.getActualTypeArguments()[0];
            } else if (Map.class.isAssignableFrom(raw) && type instanceof ParameterizedType p) {
                type = p.getActualTypeArguments()[1];
            } else {
                type = returnType(raw, new Link("getAt", true, true, 0));
            }
        }
        return type;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    /** Properties as {@code pid}, methods as {@code poll()} or, when they take arguments, {@code kill(}. */
    static Set<String> members(Class<?> type) {
        Set<String> found = new TreeSet<>();
        Set<String> withArguments = new HashSet<>();
        for (Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.isSynthetic() || m.isBridge() || m.getName().contains("$")
                    || m.getDeclaringClass() == Object.class || m.getDeclaringClass() == GroovyObject.class
                    || m.getDeclaringClass() == groovy.lang.Script.class && type != groovy.lang.Script.class
                    || HIDDEN.contains(m.getName())) {
                continue;
            }
            String name = m.getName();
            if (m.getParameterCount() == 0 && name.length() > 3 && name.startsWith("get") && m.getReturnType() != void.class) {
                found.add(Character.toLowerCase(name.charAt(3)) + name.substring(4));
            } else if (m.getParameterCount() == 0 && name.length() > 2 && name.startsWith("is") && m.getReturnType() == boolean.class) {
                found.add(Character.toLowerCase(name.charAt(2)) + name.substring(3));
            } else if (m.getParameterCount() == 1 && name.length() > 3 && name.startsWith("set") && m.getReturnType() == void.class) {
                continue;
            } else if (m.getParameterCount() > 0) {
                withArguments.add(name);
            } else {
                found.add(name + "()");
            }
        }
        for (String name : withArguments) {
            found.remove(name + "()");
            found.add(name + "(");
        }
        return found;
    }
}

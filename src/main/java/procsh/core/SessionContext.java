package procsh.core;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import procsh.os.Environment;
import procsh.os.Executables;
import procsh.os.SpawnException;

/** The working directory and environment that new jobs inherit; changed by cd / setenv / unsetenv. */
public final class SessionContext {

    /**
     * The environment new jobs get, with what setenv / unsetenv changed in it: made once per change,
     * so a spawn reads it without copying anything.
     */
    public record Snapshot(Environment environment, Map<String, String> added, Set<String> removed) {
    }

    private volatile Path cwd;
    private final Map<String, String> env;
    /** The environment procsh started with, to tell what setenv / unsetenv changed since. */
    private final Map<String, String> initial;
    private volatile Snapshot snapshot;

    public SessionContext(Path cwd, Map<String, String> env) {
        this.cwd = cwd.toAbsolutePath().normalize();
        this.env = new TreeMap<>(env);
        this.initial = Map.copyOf(env);
        this.snapshot = snapshotOf();
    }

    public static SessionContext fromProcess() {
        return new SessionContext(Path.of(System.getProperty("user.dir")), System.getenv());
    }

    public Path cwd() {
        return cwd;
    }

    /** Changes directory, relative to the current one; refuses one that does not exist. */
    public Path cd(String dir) {
        Path target;
        try {
            target = dir.equals("~") || dir.startsWith("~/")
                    ? Path.of(System.getProperty("user.home") + dir.substring(1))
                    : cwd.resolve(dir);
        } catch (InvalidPathException e) {
            throw new ProcshException("no such directory: '" + dir + "' is not a valid path here (" + e.getReason() + ")");
        }
        try {
            cwd = Executables.directory(target);
        } catch (SpawnException e) {
            throw new ProcshException(e.getMessage());
        }
        return cwd;
    }

    /** The variables new jobs get, sorted by name; unmodifiable. */
    public Map<String, String> env() {
        return snapshot.environment().variables();
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public String getenv(String key) {
        return snapshot.environment().get(key);
    }

    public synchronized void setenv(String key, String value) {
        checkName(key);
        checkValue(key, value);
        env.put(key, value);
        snapshot = snapshotOf();
    }

    /** Sets all of them or, when one is refused, none. */
    public synchronized void setenv(Map<String, String> variables) {
        variables.forEach((key, value) -> {
            checkName(key);
            checkValue(key, value);
        });
        env.putAll(variables);
        snapshot = snapshotOf();
    }

    public synchronized boolean unsetenv(String key) {
        boolean was = env.remove(key) != null;
        snapshot = snapshotOf();
        return was;
    }

    /** Under this object's lock: the environment, the variables set (or changed) and those removed since the session began. */
    private Snapshot snapshotOf() {
        Map<String, String> added = new TreeMap<>();
        env.forEach((k, v) -> {
            if (!v.equals(initial.get(k))) {
                added.put(k, v);
            }
        });
        Set<String> removed = new TreeSet<>(initial.keySet());
        removed.removeAll(env.keySet());
        return new Snapshot(Environment.of(env), Collections.unmodifiableMap(added), Collections.unmodifiableSet(removed));
    }

    /** A NUL ends a C string: the child would get the value cut there, so it is refused instead. */
    static void checkValue(String key, String value) {
        int nul = value.indexOf('\0');
        if (nul >= 0) {
            throw new ProcshException("bad value for environment variable " + key + ": it holds a NUL (at character " + (nul + 1)
                    + "), which an environment cannot carry: remove it");
        }
    }

    static void checkName(String key) {
        if (key == null || key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
            throw new ProcshException("bad environment variable name '" + key + "': it must be non-empty, without '=' or NUL");
        }
    }
}

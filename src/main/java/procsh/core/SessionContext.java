package procsh.core;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import procsh.os.Executables;
import procsh.os.SpawnException;

/** The working directory and environment that new jobs inherit; changed by cd / setenv / unsetenv. */
public final class SessionContext {

    private volatile Path cwd;
    private final Map<String, String> env;
    /** The environment procsh started with, to tell what setenv / unsetenv changed since. */
    private final Map<String, String> initial;

    public SessionContext(Path cwd, Map<String, String> env) {
        this.cwd = cwd.toAbsolutePath().normalize();
        this.env = new TreeMap<>(env);
        this.initial = Map.copyOf(env);
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

    public synchronized Map<String, String> env() {
        return new TreeMap<>(env);
    }

    public synchronized String getenv(String key) {
        return env.get(key);
    }

    public synchronized void setenv(String key, String value) {
        checkName(key);
        env.put(key, value);
    }

    /** Variables set (or changed) with setenv since the session began. */
    public synchronized Map<String, String> added() {
        Map<String, String> added = new TreeMap<>();
        env.forEach((k, v) -> {
            if (!v.equals(initial.get(k))) {
                added.put(k, v);
            }
        });
        return added;
    }

    /** Variables removed with unsetenv since the session began. */
    public synchronized java.util.Set<String> removed() {
        java.util.Set<String> removed = new java.util.TreeSet<>(initial.keySet());
        removed.removeAll(env.keySet());
        return removed;
    }

    public synchronized boolean unsetenv(String key) {
        return env.remove(key) != null;
    }

    static void checkName(String key) {
        if (key == null || key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
            throw new ProcshException("bad environment variable name '" + key + "': it must be non-empty, without '=' or NUL");
        }
    }
}

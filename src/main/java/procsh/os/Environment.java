package procsh.os;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A child's complete environment, immutable. Its {@code KEY=VALUE} entries, and their bytes for
 * posix_spawn, are built once and shared by every spawn that uses it: a session's environment
 * changes rarely, and rebuilding ~40 entries at each spawn cost more than the rest of the table's
 * work. {@link #with(String, String)} makes a variant that differs in one variable (the job marker)
 * by copying an array of references, not by rebuilding.
 */
public final class Environment {

    private final Map<String, String> variables;
    private final String[] keys;
    private final String[] entries;
    /** For a one-variable variant: the environment it was made from, whose bytes it shares. */
    private final Environment base;
    /** The entries as the child gets them (no terminator); built at the first native spawn. */
    private volatile byte[][] encoded;

    private Environment(Map<String, String> variables, String[] keys, String[] entries, Environment base) {
        this.variables = variables;
        this.keys = keys;
        this.entries = entries;
        this.base = base;
    }

    public static Environment of(Map<String, String> variables) {
        Map<String, String> sorted = Collections.unmodifiableMap(new TreeMap<>(variables));
        String[] keys = sorted.keySet().toArray(new String[0]);
        String[] entries = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            entries[i] = keys[i] + "=" + sorted.get(keys[i]);
        }
        return new Environment(sorted, keys, entries, null);
    }

    /** This environment with {@code set} applied and {@code unset} removed; this one when neither changes anything. */
    public Environment with(Map<String, String> set, Collection<String> unset) {
        boolean same = true;
        for (Map.Entry<String, String> e : set.entrySet()) {
            same &= e.getValue().equals(get(e.getKey()));
        }
        for (String key : unset) {
            same &= get(key) == null;
        }
        if (same) {
            return this;
        }
        Map<String, String> changed = new TreeMap<>(variables());
        unset.forEach(changed::remove);
        changed.putAll(set);
        return of(changed);
    }

    /**
     * This environment with one variable set, sharing every other entry (and its bytes). The
     * variant's {@link #variables()} is built only if asked for.
     */
    public Environment with(String key, String value) {
        int at = Arrays.binarySearch(keys, key);
        int index = at >= 0 ? at : -at - 1;
        int size = at >= 0 ? keys.length : keys.length + 1;
        String[] newKeys = insert(keys, index, key, at < 0, size);
        String[] newEntries = insert(entries, index, key + "=" + value, at < 0, size);
        return new Environment(null, newKeys, newEntries, this);
    }

    private static <T> T[] insert(T[] from, int index, T value, boolean grow, int size) {
        T[] to = Arrays.copyOf(from, size);
        if (grow) {
            System.arraycopy(from, index, to, index + 1, from.length - index);
        }
        to[index] = value;
        return to;
    }

    /** The variables, sorted by name, unmodifiable. */
    public Map<String, String> variables() {
        if (variables != null) {
            return variables;
        }
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], entries[i].substring(keys[i].length() + 1));
        }
        return Collections.unmodifiableMap(map);
    }

    public String get(String key) {
        int at = Arrays.binarySearch(keys, key);
        return at < 0 ? null : entries[at].substring(key.length() + 1);
    }

    /** Entry i as the child gets it: the bytes procsh inherited, if it is an inherited variable unchanged. */
    private byte[] encode(int i) {
        byte[] inherited = InheritedEnvironment.entry(keys[i], entries[i].substring(keys[i].length() + 1));
        return inherited != null ? inherited : NativeStrings.encode(entries[i]);
    }

    /** The entries' bytes: a variant encodes only the entry it changed, and takes the rest from its base. */
    byte[][] encoded() {
        byte[][] bytes = encoded;
        if (bytes != null) {
            return bytes;
        }
        bytes = new byte[entries.length][];
        if (base == null) {
            for (int i = 0; i < entries.length; i++) {
                bytes[i] = encode(i);
            }
        } else {
            byte[][] shared = base.encoded();
            String[] baseEntries = base.entries;
            // Both entry lists are sorted and differ in one place: walk them together.
            for (int i = 0, j = 0; i < entries.length; i++) {
                if (j < baseEntries.length && entries[i] == baseEntries[j]) {
                    bytes[i] = shared[j++];
                } else {
                    bytes[i] = encode(i);
                    if (j < baseEntries.length && keys[i].equals(base.keys[j])) {
                        j++; // replaced, not inserted
                    }
                }
            }
        }
        encoded = bytes;
        return bytes;
    }
}

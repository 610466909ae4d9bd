package procsh.os;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The exact bytes of the environment procsh inherited. The JDK decodes it into Strings, and a
 * value that is not valid in the locale's charset (Latin-1 bytes under UTF-8, anything non-ASCII
 * under LC_ALL=C) becomes U+FFFD, then '?' when encoded again: a child must get the bytes
 * procsh got, as ProcessBuilder's own inherited environment does. Read once from
 * /proc/self/environ; an entry is used only where the JDK's view of it is the same variable
 * with the same value, so a variable set since (setenv, --env) is never replaced by an old one.
 */
final class InheritedEnvironment {

    private static final class Holder {
        static final Map<String, byte[]> ENTRIES = read();
    }

    private InheritedEnvironment() {
    }

    /** The inherited bytes of {@code KEY=VALUE}, when this is the variable procsh inherited, unchanged; else null. */
    static byte[] entry(String key, String value) {
        byte[] raw = Holder.ENTRIES.get(key);
        return raw != null && value.equals(System.getenv(key)) ? raw : null;
    }

    private static Map<String, byte[]> read() {
        Map<String, byte[]> entries = new HashMap<>();
        byte[] all;
        try {
            all = Files.readAllBytes(Path.of("/proc/self/environ"));
        } catch (IOException | RuntimeException notLinux) {
            return entries;
        }
        Charset[] decodings = charsets();
        for (int start = 0, end; start < all.length; start = end + 1) {
            end = start;
            while (end < all.length && all[end] != 0) {
                end++;
            }
            int equals = start;
            while (equals < end && all[equals] != '=') {
                equals++;
            }
            if (equals == start || equals == end) {
                continue;
            }
            byte[] entry = java.util.Arrays.copyOfRange(all, start, end);
            for (Charset charset : decodings) {
                // The JDK's view: the name and value as System.getenv decoded them.
                String key = new String(all, start, equals - start, charset);
                String value = new String(all, equals + 1, end - equals - 1, charset);
                if (value.equals(System.getenv(key))) {
                    entries.put(key, entry);
                    break;
                }
            }
        }
        return entries;
    }

    /** How the JDK may have decoded the environment: sun.jnu.encoding (JDK 18+), or the default charset (17). */
    private static Charset[] charsets() {
        Charset defaultCharset = Charset.defaultCharset();
        try {
            Charset jnu = Charset.forName(System.getProperty("sun.jnu.encoding", defaultCharset.name()));
            return jnu.equals(defaultCharset) ? new Charset[] {jnu} : new Charset[] {jnu, defaultCharset};
        } catch (RuntimeException unknown) {
            return new Charset[] {defaultCharset};
        }
    }
}

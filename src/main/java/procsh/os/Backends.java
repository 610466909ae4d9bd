package procsh.os;

import java.util.Locale;

/** Picks the backend: native on Linux when it works, else the JDK's; {@code procsh.backend} overrides. */
public final class Backends {

    public static final String PROPERTY = "procsh.backend";
    /** The names a user may choose. */
    public static final java.util.List<String> NAMES = java.util.List.of("auto", "native", "jdk");

    private Backends() {
    }

    public static Backend choose() {
        String wanted = System.getProperty(PROPERTY, System.getenv().getOrDefault("PROCSH_BACKEND", "auto"));
        return byName(wanted.toLowerCase(Locale.ROOT));
    }

    public static Backend byName(String name) {
        switch (name) {
            case "jdk":
                return new JdkBackend();
            case "native": {
                String why = NativeBackend.probe();
                if (why != null) {
                    throw new IllegalStateException("the native backend cannot run here: " + why);
                }
                return NativeBackend.get();
            }
            case "auto":
                return NativeBackend.probe() == null ? NativeBackend.get() : new JdkBackend();
            default:
                throw new IllegalStateException("unknown backend '" + name + "': use auto, native or jdk");
        }
    }
}

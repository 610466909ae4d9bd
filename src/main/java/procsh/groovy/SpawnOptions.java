package procsh.groovy;

import java.io.File;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import procsh.core.Durations;
import procsh.core.ProcshException;
import procsh.core.SpawnRequest;

/** Turns a script's {@code spawn(cwd: ..., env: ..., 'cmd', 'arg')} into a {@link SpawnRequest}. */
final class SpawnOptions {

    private static final String KNOWN = "cwd, env, name, stdin, pty, timeout, grace, shell, pythonUnbuffered, restart, maxRestarts, backoff, logMax, host";

    private SpawnOptions() {
    }

    static SpawnRequest request(Map<?, ?> options, Object[] command) {
        List<String> argv = new ArrayList<>();
        flatten(command, argv);
        boolean shell = flag(options, "shell");
        if (shell) {
            if (argv.isEmpty()) {
                throw new ProcshException("spawn: shell: true needs a command line, e.g. spawn(shell: true, 'ls | wc -l')");
            }
            argv = List.of("sh", "-c", String.join(" ", argv));
        }
        if (argv.isEmpty()) {
            throw new ProcshException("spawn: nothing to run: give a program and its arguments, e.g. spawn('sleep', '10')");
        }
        SpawnRequest request = SpawnRequest.of(argv);
        for (Map.Entry<?, ?> option : options.entrySet()) {
            String key = String.valueOf(option.getKey());
            Object value = option.getValue();
            switch (key) {
                case "cwd" -> request.cwd(path(value));
                case "env" -> env(request, value);
                case "name" -> request.name(value == null ? null : String.valueOf(value));
                case "stdin" -> request.stdin(flag(options, key));
                case "pty" -> {
                    if (flag(options, key)) {
                        request.terminal(); // 80x24 until attached: attach sets the console's size
                    }
                }
                case "timeout" -> request.timeout(Durations.of(value));
                case "grace" -> request.grace(Durations.of(value));
                case "pythonUnbuffered" -> request.pythonUnbuffered(flag(options, key));
                case "shell", "maxRestarts", "backoff" -> {
                    // Applied to the command above, or with restart below.
                }
                case "restart" -> request.restart(restart(options));
                case "host" -> request.host(value == null ? null : String.valueOf(value));
                case "logMax" -> request.logMax(value instanceof Number n ? n.longValue() : procsh.command.Sizes.parse(String.valueOf(value)));
                default -> throw new ProcshException("spawn: unknown option '" + key + "': use " + KNOWN);
            }
        }
        return request;
    }

    /** {@code restart: 'on-failure', maxRestarts: 5, backoff: '1s..30s'}, as the console's spawn options. */
    private static procsh.core.RestartPolicy restart(Map<?, ?> options) {
        var policy = procsh.core.RestartPolicy.of(procsh.core.RestartPolicy.Mode.parse(String.valueOf(options.get("restart"))));
        if (options.get("maxRestarts") != null) {
            policy = policy.maxRestarts(((Number) options.get("maxRestarts")).intValue());
        }
        if (options.get("backoff") != null) {
            policy = policy.backoff(String.valueOf(options.get("backoff")));
        }
        return policy;
    }

    /** A single word with spaces is a common slip: say how to run a command line. */
    static String hint(SpawnRequest request) {
        List<String> argv = request.argv();
        return argv.size() == 1 && argv.get(0).strip().contains(" ")
                ? " (to run a command line, use spawn(shell: true, '...') or pass each argument apart)"
                : "";
    }

    private static void flatten(Object value, List<String> argv) {
        if (value == null) {
            throw new ProcshException("spawn: an argument is null");
        }
        if (value instanceof Collection<?> c) {
            c.forEach(v -> flatten(v, argv));
        } else if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                flatten(Array.get(value, i), argv);
            }
        } else {
            argv.add(String.valueOf(value));
        }
    }

    private static Path path(Object value) {
        if (value instanceof Path p) {
            return p;
        }
        if (value instanceof File f) {
            return f.toPath();
        }
        if (value == null) {
            throw new ProcshException("spawn: cwd is null");
        }
        return Path.of(String.valueOf(value));
    }

    private static void env(SpawnRequest request, Object value) {
        if (!(value instanceof Map<?, ?> env)) {
            throw new ProcshException("spawn: env must be a map, e.g. env: [DEBUG: '1'] (a null value removes a variable)");
        }
        env.forEach((k, v) -> {
            if (v == null) {
                request.unset(String.valueOf(k));
            } else {
                request.env(String.valueOf(k), String.valueOf(v));
            }
        });
    }

    private static boolean flag(Map<?, ?> options, String key) {
        Object value = options.get(key);
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        String text = String.valueOf(value);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ProcshException("spawn: " + key + " must be true or false, not '" + text + "'");
    }
}

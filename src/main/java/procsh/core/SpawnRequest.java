package procsh.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What to spawn and how. Built fluently: {@code SpawnRequest.of("sleep", "5").name("nap").timeout(...)}. */
public final class SpawnRequest {

    private final List<String> argv;
    private String name;
    private Path cwd;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> unset = new LinkedHashSet<>();
    private boolean stdin;
    private Duration timeout;
    private Duration grace;
    private boolean pythonUnbuffered = true;
    private Long logMax;
    private RestartPolicy restart = RestartPolicy.NEVER;
    private boolean terminal;
    private int columns = 80;
    private int rows = 24;
    private String terminalType = "xterm-256color";
    private String host;

    private SpawnRequest(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    public static SpawnRequest of(String... argv) {
        return of(List.of(argv));
    }

    public static SpawnRequest of(List<String> argv) {
        if (argv.isEmpty()) {
            throw new ProcshException("nothing to spawn: give a program and its arguments, e.g. spawn sleep 10");
        }
        return new SpawnRequest(new ArrayList<>(argv));
    }

    public SpawnRequest name(String name) {
        this.name = name;
        return this;
    }

    public SpawnRequest cwd(Path cwd) {
        this.cwd = cwd;
        return this;
    }

    public SpawnRequest env(String key, String value) {
        env.put(key, value);
        unset.remove(key);
        return this;
    }

    public SpawnRequest unset(String key) {
        unset.add(key);
        env.remove(key);
        return this;
    }

    /** A pipe to the job's stdin instead of /dev/null. */
    public SpawnRequest stdin(boolean pipe) {
        this.stdin = pipe;
        return this;
    }

    /** After this long the job is stopped as by {@code stop}. */
    public SpawnRequest timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The grace period of the stop a timeout triggers; the table's default when unset. */
    public SpawnRequest grace(Duration grace) {
        this.grace = grace;
        return this;
    }

    /** Whether {@code PYTHONUNBUFFERED=1} is added (the default) so Python output reaches the log at once. */
    public SpawnRequest pythonUnbuffered(boolean on) {
        this.pythonUnbuffered = on;
        return this;
    }

    /** The cap on each output stream's live file, in bytes (0: none); {@link JobOutput#DEFAULT_CAP} when unset. */
    public SpawnRequest logMax(long bytes) {
        if (bytes < 0) {
            throw new ProcshException("a log cap cannot be negative: give a size such as 100M, or 0 for none");
        }
        this.logMax = bytes;
        return this;
    }

    /** When the job is started again after it ends; never by default. */
    public SpawnRequest restart(RestartPolicy policy) {
        this.restart = policy;
        return this;
    }

    /** A pseudo-terminal as the job's stdin, stdout and stderr (its controlling terminal), of this size and TERM. */
    public SpawnRequest terminal(int columns, int rows, String type) {
        this.terminal = true;
        this.columns = columns > 0 ? columns : 80;
        this.rows = rows > 0 ? rows : 24;
        if (type != null && !type.isBlank()) {
            this.terminalType = type;
        }
        return this;
    }

    /** A pseudo-terminal of 80x24, TERM=xterm-256color. */
    public SpawnRequest terminal() {
        return terminal(80, 24, null);
    }

    public boolean hasTerminal() {
        return terminal;
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    /** TERM for the job, unless its own env sets one. */
    public String terminalType() {
        return terminalType;
    }

    /** Run it on this host ({@code [user@]HOST}, as ssh takes it) instead of this machine; null: here. */
    public SpawnRequest host(String host) {
        this.host = host; // null: here; an empty one is refused as any bad host is, not run here by surprise
        return this;
    }

    public String host() {
        return host;
    }

    public RestartPolicy restart() {
        return restart;
    }

    public long logMax() {
        return logMax != null ? logMax : JobOutput.DEFAULT_CAP;
    }

    public List<String> argv() {
        return argv;
    }

    public String name() {
        return name;
    }

    public Path cwd() {
        return cwd;
    }

    public Map<String, String> env() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env)); // in the order given, as info shows them
    }

    public Set<String> unset() {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(unset));
    }

    public boolean stdin() {
        return stdin;
    }

    public Duration timeout() {
        return timeout;
    }

    public Duration grace() {
        return grace;
    }

    public boolean pythonUnbuffered() {
        return pythonUnbuffered;
    }
}

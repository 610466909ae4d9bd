package procsh.console;

import java.time.Instant;
import java.util.regex.Pattern;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The console's history, less every line that gives a variable a value (`spawn --env K=V`,
 * `setenv K=V`, Groovy's `setenv(...)` and `env: [...]`): values are secrets (tokens, passwords),
 * and the history file outlives the session. Such lines are neither recalled nor written; JLine
 * appends each kept line to the file as it is typed, so keeping one in memory only is not offered.
 */
final class SecretFreeHistory extends DefaultHistory {

    private static final Pattern SECRET = Pattern.compile(
            "--env(?:\\s+|=)\\S*=|^\\s*setenv\\s+\\S*=|\\bsetenv\\s*\\(|\\benv\\s*:\\s*\\[|^\\s*setenv\\s+\\S+\\s+\\S");

    static boolean carriesSecret(String line) {
        return SECRET.matcher(line).find();
    }

    @Override
    public void add(Instant time, String line) {
        if (!carriesSecret(line)) {
            super.add(time, line);
        }
    }
}

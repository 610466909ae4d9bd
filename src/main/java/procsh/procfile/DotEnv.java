package procsh.procfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import procsh.core.ProcshException;
import procsh.text.Escape;

/**
 * A {@code .env} file as foreman, honcho and docker compose read it: {@code KEY=value} lines,
 * an optional {@code export}, {@code #} comments; a value in single quotes is literal, one in
 * double quotes knows {@code \n}, {@code \t}, {@code \"} and {@code \\}, an unquoted one ends at
 * {@code " #"} and is trimmed. Values are secrets: errors name the line and key, never the value.
 */
public final class DotEnv {

    private static final Pattern LINE = Pattern.compile("^(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s?(.*)$");

    private DotEnv() {
    }

    /** The variables of the file, in order; an absent file is no variables. */
    public static Map<String, String> read(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            return parse(file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProcshException("cannot read " + Escape.field(file.toString()) + ": " + e.getMessage());
        }
    }

    static Map<String, String> parse(String name, List<String> lines) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(text);
            String where = Escape.field(name) + " line " + (i + 1);
            if (!m.matches()) {
                int eq = text.indexOf('=');
                throw new ProcshException(where + ": " + (eq < 0 ? "not KEY=value" : "'" + Escape.echo(text.substring(0, eq))
                        + "' is not a variable name (letters, digits, '_')"));
            }
            vars.put(m.group(1), value(m.group(2).strip(), where + " (" + m.group(1) + ")"));
        }
        return vars;
    }

    private static String value(String raw, String where) {
        if (raw.isEmpty()) {
            return "";
        }
        char quote = raw.charAt(0);
        if (quote == '\'' || quote == '"') {
            int close = closing(raw, quote);
            if (close < 0) {
                throw new ProcshException(where + ": the value's " + (quote == '"' ? "double" : "single") + " quote is never closed");
            }
            String inner = raw.substring(1, close);
            return quote == '\'' ? inner : unescape(inner);
        }
        int comment = raw.indexOf(" #");
        return (comment >= 0 ? raw.substring(0, comment) : raw).strip();
    }

    private static int closing(String raw, char quote) {
        for (int i = 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && quote == '"') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    default -> b.append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

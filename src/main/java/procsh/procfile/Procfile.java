package procsh.procfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import procsh.core.ProcshException;
import procsh.text.Escape;

/**
 * A Procfile as foreman and honcho read it: one {@code name: command} per line, blank lines and
 * {@code #} comments ignored. Each command is run by {@code sh -c}, as they do, so pipes,
 * variables and {@code &&} work.
 */
public record Procfile(Path file, List<Entry> entries) {

    /** One process type: its name and its shell command. */
    public record Entry(String name, String command, int line) {
    }

    private static final Pattern LINE = Pattern.compile("^([A-Za-z0-9_][A-Za-z0-9_.-]*)\\s*:\\s*(.*)$");

    public static Procfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ProcshException("no Procfile at " + Escape.field(file.toString()) + ": give its path (procsh up path/to/Procfile)");
        } catch (IOException e) {
            throw new ProcshException("cannot read " + Escape.field(file.toString()) + ": " + e.getMessage());
        }
        return parse(file, lines);
    }

    static Procfile parse(Path file, List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(text);
            String where = Escape.field(file.getFileName().toString()) + " line " + (i + 1);
            if (!m.matches()) {
                throw new ProcshException(where + ": '" + Escape.echo(text) + "' is not 'name: command'");
            }
            if (m.group(2).isBlank()) {
                throw new ProcshException(where + ": '" + m.group(1) + "' has no command");
            }
            if (!names.add(m.group(1))) {
                throw new ProcshException(where + ": '" + m.group(1) + "' is defined twice");
            }
            entries.add(new Entry(m.group(1), m.group(2), i + 1));
        }
        if (entries.isEmpty()) {
            throw new ProcshException(Escape.field(file.toString()) + " defines no process: write lines such as 'web: python -m http.server'");
        }
        return new Procfile(file, List.copyOf(entries));
    }
}

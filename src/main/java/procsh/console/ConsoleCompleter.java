package procsh.console;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import procsh.app.ProcshSession;
import procsh.command.CommandRegistry;
import procsh.command.Shell;
import procsh.core.Job;
import procsh.os.Signal;

/**
 * TAB completion: command names; each command's options (from its picocli model); job ids shown
 * with their command; signal names after '-' in kill; programs on PATH for spawn; directories for
 * cd; files for the rest. Lines that are not commands are left to the Groovy engine.
 */
final class ConsoleCompleter implements Completer {

    private final java.util.function.Supplier<ProcshSession> sessions;
    private ProcshSession session;
    private final CommandRegistry registry = CommandRegistry.get();

    ConsoleCompleter(java.util.function.Supplier<ProcshSession> sessions) {
        this.sessions = sessions;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        session = sessions.get();
        List<String> words = line.words();
        int index = line.wordIndex();
        String current = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        if (index == 0) {
            commandNames(candidates);
            // A word that starts a command's name is that command (spa -> "spawn "); Groovy's
            // spawn( only when no command fits, as in "sp.", "x = spa" or a variable's name.
            boolean command = !current.isEmpty() && registry.names().stream().anyMatch(n -> n.startsWith(current));
            if (!current.isEmpty() && !command) {
                groovyCandidates(line, candidates);
            }
            return;
        }
        Optional<CommandRegistry.Entry> entry = registry.find(words.get(0));
        if (entry.isEmpty()) {
            groovyCandidates(line, candidates);
            return;
        }
        String command = entry.get().name();
        String previous = words.get(index - 1);
        CommandSpec spec = Shell.spec(entry.get());
        OptionSpec takingValue = spec.findOption(previous);
        if (takingValue != null && takingValue.arity().min() > 0) {
            optionValue(command, takingValue, current, candidates);
            return;
        }
        if (command.equals("kill") && current.startsWith("-")) {
            signalNames("-", candidates);
        }
        if (current.startsWith("-")) {
            for (OptionSpec option : spec.options()) {
                for (String name : option.names()) {
                    candidates.add(new Candidate(name, name, "options", firstLine(option.description()), null, null, true));
                }
            }
            return;
        }
        positional(command, spec, words, index, current, candidates);
    }

    private void positional(String command, CommandSpec spec, List<String> words, int index, String current, List<Candidate> candidates) {
        // A parameter labelled ID (poll ID..., send ID TEXT..., kill ID|-SIG...) takes job references: its command says so.
        if (positionalSpec(spec, words, index).map(p -> p.paramLabel().startsWith("ID")).orElse(false)) {
            jobs(candidates);
            return;
        }
        switch (command) {
            case "help" -> commandNames(candidates);
            case "spawn" -> {
                if (programIndex(words) == index) {
                    programs(current, candidates);
                } else {
                    files(current, false, candidates);
                }
            }
            case "cd" -> files(current, true, candidates);
            case "setenv", "unsetenv", "env" -> session.table().context().env().keySet()
                    .forEach(k -> candidates.add(new Candidate(command.equals("setenv") ? k + "=" : k, k, "variables", null, null, null,
                            !command.equals("setenv"))));
            case "signals" -> signalNames("", candidates);
            case "send" -> {
                // after the job: free text
            }
            default -> files(current, false, candidates);
        }
    }

    /** The positional parameter the word at {@code index} fills, counting past options and their values. */
    private static Optional<PositionalParamSpec> positionalSpec(CommandSpec spec, List<String> words, int index) {
        int position = 0;
        for (int i = 1; i < index; i++) {
            OptionSpec option = spec.findOption(words.get(i));
            if (option != null) {
                i += option.arity().min() > 0 && !words.get(i).contains("=") ? 1 : 0;
            } else if (!words.get(i).startsWith("--")) {
                position++;
            }
        }
        int at = position;
        return spec.positionalParameters().stream().filter(p -> p.index().contains(at)).findFirst();
    }

    /** Index of spawn's program word: the first word after the options and their values. */
    private int programIndex(List<String> words) {
        CommandSpec spec = Shell.spec(registry.find("spawn").orElseThrow());
        int i = 1;
        while (i < words.size()) {
            String w = words.get(i);
            OptionSpec option = spec.findOption(w);
            if (option != null) {
                i += option.arity().min() > 0 && !w.contains("=") ? 2 : 1;
            } else if (w.startsWith("--") && w.contains("=")) {
                i++;
            } else {
                return i;
            }
        }
        return i;
    }

    private void optionValue(String command, OptionSpec option, String current, List<Candidate> candidates) {
        String name = option.longestName();
        switch (name) {
            case "--cwd" -> files(current, true, candidates);
            case "--signal" -> signalNames("", candidates);
            case "--timeout", "--grace" -> List.of("500ms", "2s", "5s", "30s", "1m")
                    .forEach(d -> candidates.add(new Candidate(d, d, "durations", null, null, null, true)));
            case "--env" -> session.table().context().env().keySet()
                    .forEach(k -> candidates.add(new Candidate(k + "=", k, "variables", null, null, null, false)));
            case "--unset" -> session.table().context().env().keySet()
                    .forEach(k -> candidates.add(new Candidate(k, k, "variables", null, null, null, true)));
            default -> {
                if (option.completionCandidates() != null) {
                    option.completionCandidates().forEach(c -> candidates.add(new Candidate(c)));
                } else if (!name.equals("--name")) {
                    files(current, false, candidates);
                }
            }
        }
    }

    private void commandNames(List<Candidate> candidates) {
        for (CommandRegistry.Entry e : registry.entries()) {
            candidates.add(new Candidate(e.name(), e.name(), "commands", e.summary(), null, null, true));
            for (String alias : e.aliases()) {
                candidates.add(new Candidate(alias, alias, "commands", "same as " + e.name(), null, null, true));
            }
        }
    }

    private void jobs(List<Candidate> candidates) {
        List<Job> jobs = session.table().jobs();
        procsh.core.Observation seen = session.table().observe(jobs); // one question to each host, not one per job
        for (Job job : jobs) {
            String description = job.commandLine() + " (" + seen.state(job).label() + ")";
            String id = Integer.toString(job.id());
            candidates.add(new Candidate(id, id + "  " + truncate(description), "jobs", null, null, null, true));
            if (job.name() != null) {
                candidates.add(new Candidate(job.name(), job.name() + "  [" + id + "] " + truncate(description), "jobs", null, null, null, true));
            }
        }
    }

    private void signalNames(String prefix, List<Candidate> candidates) {
        for (Signal s : session.table().signals().all()) {
            candidates.add(new Candidate(prefix + s.shortName(), prefix + s.shortName(), "signals", s.name() + " " + s.number(),
                    null, null, true));
        }
    }

    /** Executables on the session's PATH, or paths when the word has a slash. */
    private void programs(String current, List<Candidate> candidates) {
        if (current.contains("/")) {
            files(current, false, candidates);
            return;
        }
        Set<String> names = new TreeSet<>();
        String path = session.table().context().getenv("PATH");
        for (String dir : (path == null ? "" : path).split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(dir), p -> p.getFileName().toString().startsWith(current))) {
                for (Path p : entries) {
                    if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                        names.add(p.getFileName().toString());
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // A PATH entry that does not exist or cannot be read offers nothing.
            }
        }
        names.forEach(n -> candidates.add(new Candidate(n, n, "programs", null, null, null, true)));
    }

    /** Files (or only directories) relative to the session's directory, as the word so far names them. */
    void files(String current, boolean directoriesOnly, List<Candidate> candidates) {
        String typed = current;
        String dirPart = typed.contains("/") ? typed.substring(0, typed.lastIndexOf('/') + 1) : "";
        String namePart = typed.substring(dirPart.length());
        Path base = session.table().context().cwd();
        Path dir = dirPart.startsWith("~/") ? Path.of(System.getProperty("user.home"), dirPart.substring(2))
                : base.resolve(dirPart.isEmpty() ? "." : dirPart);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.startsWith(namePart) || (name.startsWith(".") && !namePart.startsWith("."))) {
                    continue;
                }
                boolean isDir = Files.isDirectory(p);
                if (directoriesOnly && !isDir) {
                    continue;
                }
                String value = dirPart + name + (isDir ? "/" : "");
                candidates.add(new Candidate(value, name + (isDir ? "/" : ""), null, null, null, null, !isDir));
            }
        } catch (IOException | RuntimeException unreadable) {
            // Nothing to offer from a directory that cannot be listed.
        }
    }

    private void groovyCandidates(ParsedLine line, List<Candidate> candidates) {
        int wordStart = line.cursor() - line.wordCursor();
        for (String c : session.completeGroovy(line.line(), line.cursor(), wordStart)) {
            String shown = c.substring(Math.max(c.lastIndexOf('.') + 1, 0));
            candidates.add(new Candidate(c, shown, "groovy", null, null, null, !c.endsWith("(")));
        }
    }

    private static String firstLine(String[] description) {
        return description.length == 0 ? null : description[0];
    }

    private static String truncate(String s) {
        return s.length() > 60 ? s.substring(0, 59) + "…" : s;
    }
}

package procsh.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import procsh.command.commands.CdCommand;
import procsh.command.commands.CleanCommand;
import procsh.command.commands.ClearCommand;
import procsh.command.commands.CloseCommand;
import procsh.command.commands.EnvCommand;
import procsh.command.commands.ExitCommand;
import procsh.command.commands.HelpCommand;
import procsh.command.commands.HistoryCommand;
import procsh.command.commands.InfoCommand;
import procsh.command.commands.JavaCommand;
import procsh.command.commands.KillCommand;
import procsh.command.commands.ListCommand;
import procsh.command.commands.LogsCommand;
import procsh.command.commands.PollCommand;
import procsh.command.commands.PwdCommand;
import procsh.command.commands.RestartCommand;
import procsh.command.commands.RmCommand;
import procsh.command.commands.SendCommand;
import procsh.command.commands.AttachCommand;
import procsh.command.commands.SetenvCommand;
import procsh.command.commands.SignalsCommand;
import procsh.command.commands.SourceCommand;
import procsh.command.commands.SpawnCommand;
import procsh.command.commands.StopCommand;
import procsh.command.commands.TerminateCommand;
import procsh.command.commands.TreeCommand;
import procsh.command.commands.UnsetenvCommand;
import procsh.command.commands.UpCommand;
import procsh.command.commands.WaitCommand;

/**
 * Every console command, by name and alias. Names, aliases and one-line descriptions come from
 * each command's own {@code @Command} annotation, so they are written once.
 */
public final class CommandRegistry {

    /** One command: its names and how to make a fresh instance. */
    public record Entry(String name, List<String> aliases, String summary, Supplier<ProcshCommand> factory) {
    }

    private static final List<Supplier<ProcshCommand>> FACTORIES = List.of(
            SpawnCommand::new, ListCommand::new, PollCommand::new, WaitCommand::new, TerminateCommand::new,
            KillCommand::new, SignalsCommand::new, StopCommand::new, RestartCommand::new, RmCommand::new,
            CleanCommand::new, LogsCommand::new, SendCommand::new, CloseCommand::new, AttachCommand::new, InfoCommand::new,
            TreeCommand::new, procsh.command.commands.HostsCommand::new, UpCommand::new, CdCommand::new, PwdCommand::new, ClearCommand::new, EnvCommand::new, SetenvCommand::new,
            UnsetenvCommand::new, SourceCommand::new, JavaCommand::new, HistoryCommand::new, HelpCommand::new,
            ExitCommand::new);

    private static final CommandRegistry INSTANCE = new CommandRegistry();

    private final Map<String, Entry> byName = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();

    private CommandRegistry() {
        for (Supplier<ProcshCommand> factory : FACTORIES) {
            Class<?> type = factory.get().getClass();
            Command annotation = type.getAnnotation(Command.class);
            String summary = annotation.description().length > 0 ? annotation.description()[0] : "";
            Entry entry = new Entry(annotation.name(), List.of(annotation.aliases()), summary, factory);
            entries.add(entry);
            byName.put(entry.name(), entry);
            entry.aliases().forEach(a -> byName.put(a, entry));
        }
    }

    public static CommandRegistry get() {
        return INSTANCE;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public Optional<Entry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every name and alias. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** {@code unknown command 'lsit': did you mean 'list'?}, the one wording for a word that is no command. */
    public String unknownCommand(String typed) {
        return "unknown command '" + procsh.text.Escape.echo(typed) + "'" + suggestion(typed);
    }

    /** {@code : did you mean 'list'?}, or where to look when nothing is close. */
    public String suggestion(String typed) {
        return closest(typed).map(c -> ": did you mean '" + c + "'?").orElse(": `help` lists the commands");
    }

    /** The command closest to a mistyped word, if one is close enough to be what was meant. */
    public Optional<String> closest(String typed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : byName.keySet()) {
            int d = distance(typed, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(2, typed.length() / 3));
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Damerau-Levenshtein (optimal string alignment) distance: a swap of two letters counts once. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3) {
            return 99;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

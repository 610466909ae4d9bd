package procsh.command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import procsh.core.Durations;
import procsh.core.ProcshException;

/**
 * Runs command lines: splits them into words, finds each command, lets picocli parse its options,
 * and turns every failure into one line on stderr and an exit status (0 ok, 1 failed, 2 usage,
 * 130 interrupted). The table is untouched by a line that is refused.
 */
public final class Shell implements CommandRunner {

    /** Exit status after Ctrl-C, as in bash. */
    public static final int INTERRUPTED = 130;

    private final ShellSession session;
    private final CommandRegistry registry = CommandRegistry.get();

    public Shell(ShellSession session) {
        this.session = session;
    }

    public ShellSession session() {
        return session;
    }

    @Override
    public boolean isCommand(String line) {
        String first = firstWord(line);
        return first.isEmpty() || first.startsWith("#") || registry.find(first).isPresent();
    }

    /**
     * A line like {@code spwan sleep 1}: an unknown word close to a command's name, followed by
     * nothing or by plain words. A line that reads as Groovy ({@code x = 1}, {@code f(1)},
     * {@code a.b}, {@code xs[0]}, {@code it + 1}) is never taken for a mistyped command.
     */
    public boolean isMistypedCommand(String line) {
        String first = firstWord(line);
        if (first.isEmpty() || isCommand(line) || !first.chars().allMatch(Character::isLetter) || registry.closest(first).isEmpty()) {
            return false;
        }
        String rest = line.stripLeading().substring(first.length());
        if (rest.isBlank()) {
            return true;
        }
        String next = rest.stripLeading();
        boolean option = next.matches("(?s)--?[A-Za-z].*"); // spwan -e K=V sleep 1
        return Character.isWhitespace(rest.charAt(0)) && (option || "=(.[{+-*/%<>!?&|:,;'\"$~^".indexOf(next.charAt(0)) < 0);
    }

    /** {@code unknown command 'spwan': did you mean 'spawn'?} for the line's first word. */
    public String unknownCommand(String line) {
        return registry.unknownCommand(firstWord(line));
    }

    /** The first word as typed, up to a space or a semicolon. */
    public static String firstWord(String line) {
        String s = line.stripLeading();
        int end = 0;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && s.charAt(end) != ';') {
            end++;
        }
        return s.substring(0, end);
    }

    @Override
    public int run(String line, PrintWriter out, PrintWriter err) throws InterruptedException {
        var raw = registry.find(firstWord(line)).map(e -> e.factory().get()).filter(c -> c instanceof RawText);
        if (raw.isPresent()) {
            return runRaw(raw.get(), line.stripLeading().substring(firstWord(line).length()), out, err);
        }
        List<List<String>> commands;
        try {
            commands = LineSplitter.split(line);
        } catch (ProcshException e) {
            err.println(OneLine.of(e.getMessage()));
            err.flush();
            return ProcshCommand.USAGE;
        }
        int status = 0;
        for (List<String> words : commands) {
            status = execute(words, out, err);
            out.flush();
            err.flush();
            if (status == INTERRUPTED || session.exitStatus() != null) {
                break;
            }
        }
        return status;
    }

    private int execute(List<String> words, PrintWriter out, PrintWriter err) throws InterruptedException {
        String name = words.get(0);
        var entry = registry.find(name);
        if (entry.isEmpty()) {
            err.println(registry.unknownCommand(name));
            return ProcshCommand.USAGE;
        }
        ProcshCommand command = entry.get().factory().get();
        command.init(session, out, err);
        CommandLine cli = commandLine(command, out, err);
        try {
            return cli.execute(command.preprocess(words.subList(1, words.size())).toArray(String[]::new));
        } finally {
            // An interrupt was for this command (Ctrl-C); it must not leak into the next one.
            Thread.interrupted();
        }
    }

    /** A command that takes the rest of its line as typed (code): only --help is read from it. */
    private int runRaw(ProcshCommand command, String text, PrintWriter out, PrintWriter err) throws InterruptedException {
        command.init(session, out, err);
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.equals("--help") || trimmed.equals("-h")) {
            CommandLine cli = commandLine(command, out, err);
            if (trimmed.isEmpty()) {
                err.println(cli.getCommandName() + ": give the code to run (" + cli.getCommandName() + " --help shows how)");
                err.flush();
                return ProcshCommand.USAGE;
            }
            cli.usage(out, CommandLine.Help.Ansi.OFF);
            out.flush();
            return 0;
        }
        try {
            return ((RawText) command).run(trimmed);
        } catch (ProcshException e) {
            err.println(OneLine.of(e.getMessage()));
            err.flush();
            return ProcshCommand.FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A picocli command line for one command, with procsh's conventions for errors and durations. */
    static CommandLine commandLine(ProcshCommand command, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        cli.registerConverter(Duration.class, Shell::duration);
        cli.setStopAtPositional(false);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(Shell::usageError);
        // A word like @FILE is an argument like any other, never "read more arguments from FILE".
        cli.setExpandAtFiles(false);
        cli.setExecutionExceptionHandler((e, c, parsed) -> failure(e, c, command));
        command.configure(cli);
        return cli;
    }

    private static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (ProcshException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String name = cli.getCommandName();
        String message = e.getMessage();
        // picocli's wording, minus its own prefixes, plus where to look.
        message = message.replaceFirst("^Invalid value for option '([^']*)': ", "bad value for $1: ");
        cli.getErr().println(name + ": " + OneLine.of(shorten(message)) + " (" + name + " --help shows how)");
        cli.getErr().flush();
        return ProcshCommand.USAGE;
    }

    private static int failure(Exception e, CommandLine cli, ProcshCommand command) {
        PrintWriter err = cli.getErr();
        String name = cli.getCommandName();
        if (e instanceof InterruptedException) {
            err.println(name + ": interrupted" + (command instanceof Interruptible i ? "; " + i.afterInterrupt() : ""));
            err.flush();
            return INTERRUPTED;
        }
        if (e instanceof ProcshException) {
            err.println(name + ": " + OneLine.of(e.getMessage()));
        } else if (e instanceof java.nio.file.InvalidPathException bad) {
            err.println(name + ": '" + OneLine.of(bad.getInput()) + "' cannot be a path: " + bad.getReason());
        } else {
            err.println(name + ": internal error: " + e + (command.session.debug() ? "" : " (run procsh --debug for the stack trace)"));
            if (command.session.debug()) {
                e.printStackTrace(err);
            }
        }
        err.flush();
        return ProcshCommand.FAILED;
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** A command's help text, as {@code COMMAND --help} prints it. */
    public static String usage(CommandRegistry.Entry entry) {
        StringWriter text = new StringWriter();
        CommandSpec spec = commandLine(entry.factory().get(), new PrintWriter(text), new PrintWriter(text)).getCommandSpec();
        new CommandLine(spec).usage(new PrintWriter(text), CommandLine.Help.Ansi.OFF);
        return text.toString();
    }

    /** The picocli model of a command, for completion. */
    public static CommandSpec spec(CommandRegistry.Entry entry) {
        StringWriter sink = new StringWriter();
        return commandLine(entry.factory().get(), new PrintWriter(sink), new PrintWriter(sink)).getCommandSpec();
    }
}

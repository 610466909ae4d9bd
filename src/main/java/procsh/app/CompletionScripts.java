package procsh.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import procsh.Main;

/**
 * Writes the shell completion scripts for the {@code procsh} launcher from the picocli model that
 * parses its options: bash through picocli's generator, zsh and fish through the two below.
 * Regenerate with {@code java -cp target/procsh.jar procsh.app.CompletionScripts completions}.
 */
public final class CompletionScripts {

    static final String HEADER = "Generated from procsh's option model by procsh.app.CompletionScripts: do not edit.";

    private CompletionScripts() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "completions");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> script : all().entrySet()) {
            Files.writeString(dir.resolve(script.getKey()), script.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** File name to content, for every shell. */
    public static Map<String, String> all() {
        CommandSpec spec = Main.commandLine().getCommandSpec();
        return Map.of("procsh.bash", "# " + HEADER + "\n" + AutoComplete.bash("procsh", Main.commandLine()),
                "_procsh", zsh(spec), "procsh.fish", fish(spec));
    }

    static String zsh(CommandSpec spec) {
        StringBuilder s = new StringBuilder("#compdef procsh\n# " + HEADER + "\n\n_procsh() {\n  _arguments -s -S \\\n");
        for (OptionSpec o : visibleOptions(spec)) {
            String exclusive = o.isMultiValue() ? "*" : "(" + String.join(" ", o.names()) + ")";
            String description = "[" + zshEscape(first(o.description())) + "]";
            String argument = o.arity().max() == 0 ? ""
                    : ":" + o.paramLabel() + ":" + (o.completionCandidates() != null
                            ? "(" + String.join(" ", candidates(o)) + ")" : " ");
            for (String name : o.names()) {
                String form = name.startsWith("--") && o.arity().max() > 0 ? name + "=" : name;
                s.append("    '").append(exclusive).append(form).append(description).append(argument).append("' \\\n");
            }
        }
        List<PositionalParamSpec> positionals = spec.positionalParameters();
        for (PositionalParamSpec p : positionals) {
            boolean script = p.index().min() == 0;
            s.append("    '").append(script ? "1" : "*").append(':').append(p.paramLabel()).append(':')
                    .append(script ? "_files -g \"*.groovy(-.)\"" : "_files").append("'")
                    .append(p == positionals.get(positionals.size() - 1) ? "\n" : " \\\n");
        }
        return s.append("}\n\n_procsh \"$@\"\n").toString();
    }

    static String fish(CommandSpec spec) {
        StringBuilder s = new StringBuilder("# " + HEADER + "\n\n");
        for (OptionSpec o : visibleOptions(spec)) {
            s.append("complete -c procsh");
            for (String name : o.names()) {
                s.append(name.startsWith("--") ? " -l " + name.substring(2) : " -s " + name.substring(1));
            }
            if (o.arity().max() > 0) {
                s.append(o.completionCandidates() != null ? " -x -a '" + String.join(" ", candidates(o)) + "'" : " -x");
            }
            s.append(" -d '").append(fishEscape(first(o.description()))).append("'\n");
        }
        s.append("# The script: .groovy files first; its arguments: any file.\n");
        s.append("complete -c procsh -k -a '(__fish_complete_suffix .groovy)'\n");
        return s.toString();
    }

    private static List<OptionSpec> visibleOptions(CommandSpec spec) {
        return spec.options().stream().filter(o -> !o.hidden()).collect(Collectors.toList());
    }

    private static List<String> candidates(OptionSpec o) {
        List<String> values = new java.util.ArrayList<>();
        o.completionCandidates().forEach(values::add);
        return values;
    }

    private static String first(String[] description) {
        return description.length == 0 ? "" : description[0];
    }

    private static String zshEscape(String s) {
        return s.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:");
    }

    private static String fishEscape(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }
}

package procsh.command.commands;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.command.Style;
import procsh.core.JobTable;
import procsh.core.ProcshException;
import procsh.os.Signal;

@Command(name = "signals", description = "List the signals of this OS with their numbers (as kill -l).",
        footerHeading = "%nExamples:%n", footer = {"  signals", "  signals 137     (names the signal of a shell status: KILL)", "  signals USR1    (its number)"})
public final class SignalsCommand extends ProcshCommand {

    @Parameters(paramLabel = "NUMBER|NAME", arity = "0..*", description = "A number or exit status to name, or a name to number.")
    List<String> words;

    @Override
    public Integer call() {
        return print(table(), words == null ? List.of() : words, out, style());
    }

    /** bash's kill -l: the whole table, or one translation per word. */
    static int print(JobTable table, List<String> words, PrintWriter out, Style style) {
        if (words.isEmpty()) {
            List<Signal> all = table.signals().all();
            int perLine = 5;
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < all.size(); i++) {
                Signal s = all.get(i);
                line.append(String.format("%2d) %-13s", s.number(), s.name()));
                if ((i + 1) % perLine == 0 || i == all.size() - 1) {
                    out.println(line.toString().stripTrailing());
                    line.setLength(0);
                }
            }
            return 0;
        }
        for (String word : words) {
            if (word.chars().allMatch(Character::isDigit) && !word.isEmpty() && word.length() < 10) {
                int n = Integer.parseInt(word);
                int number = n > 128 ? n - 128 : n;
                Signal s = table.signals().byNumber(number)
                        .orElseThrow(() -> new ProcshException("no signal has number " + word + " on this OS (`signals` lists them)"));
                out.println(s.shortName());
            } else {
                out.println(table.signal(word).number());
            }
        }
        return 0;
    }
}

package procsh.command.commands;

import java.util.ArrayList;
import java.util.List;
import procsh.core.Job;
import procsh.core.JobTable;
import procsh.core.ProcshException;
import procsh.os.Signal;

/**
 * Reads kill's free-form arguments, as users of bash type them: {@code 2 -9}, {@code -9 2},
 * {@code 2 -KILL}, {@code 2 -SIGUSR1}. A word that is a job reference is a job; a word starting
 * with '-' is a signal.
 */
final class SignalArgs {

    final List<Job> jobs = new ArrayList<>();
    Signal signal;

    static SignalArgs parse(JobTable table, List<String> words, String explicitSignal, Signal fallback) {
        SignalArgs args = new SignalArgs();
        if (explicitSignal != null) {
            args.signal = table.signal(explicitSignal);
        }
        for (String word : words) {
            if (word.startsWith("-") && word.length() > 1) {
                if (args.signal != null) {
                    throw new ProcshException("two signals given ('" + args.signal.shortName() + "' and '" + procsh.text.Escape.echo(word) + "'): give one");
                }
                args.signal = table.signal(word);
            } else {
                args.jobs.add(table.get(word));
            }
        }
        if (args.jobs.isEmpty()) {
            throw new ProcshException("which job? give an id or name, e.g. kill 2 -9");
        }
        if (args.signal == null) {
            args.signal = fallback;
        }
        return args;
    }
}

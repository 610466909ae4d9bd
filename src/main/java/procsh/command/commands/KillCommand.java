package procsh.command.commands;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.core.Job;
import procsh.core.ProcshException;
import procsh.core.Scope;
import procsh.core.Sender;
import procsh.os.Signal;

@Command(name = "kill", description = "Send a signal to jobs: SIGKILL unless another is given.",
        footerHeading = "%nExamples:%n",
        footer = {"  kill 2            SIGKILL to the job's process group, as bash's kill %2", "  kill 2 -9         kill -9 2    kill 2 -KILL",
                "  kill 2 -SIGUSR1   kill -s USR1 2", "  kill --tree 2 -TERM   the job's group and every descendant", "  kill --process 2  the job's own process only",
                "  kill -l           list the signals; kill -l 137 names one",
                "", "A job that has ended is never signalled: its PID may belong to another process now."})
public final class KillCommand extends ProcshCommand {

    @Option(names = {"-s", "--signal"}, paramLabel = "SIG", description = "The signal, by name (USR1, SIGUSR1) or number.")
    String signal;

    @Option(names = {"-l", "--list"}, description = "List the signals of this OS, or name the one for a number or status (kill -l 137).")
    boolean list;

    @Option(names = "--tree", description = "Signal the job's process group and every descendant, also those that left it.")
    boolean tree;

    @Option(names = "--group", description = "Signal the job's process group (the job and the children that stayed in it): the default.")
    boolean group;

    @Option(names = "--process", description = "Signal the job's own process only; its children keep running.")
    boolean process;

    @Parameters(paramLabel = "ID|-SIG", arity = "0..*", description = "Job ids or names, and optionally -SIGNAL.")
    List<String> words = new ArrayList<>();

    private static final java.util.Set<String> OPTIONS = java.util.Set.of("-s", "--signal", "-l", "--list", "--tree", "--group", "--process", "-h", "--help");

    /**
     * bash's {@code -9} and {@code -SIGTERM} look like options to picocli ({@code -sigterm} even
     * like {@code -s igterm}): such words are moved after {@code --}, where they are plain words.
     */
    @Override
    protected List<String> preprocess(List<String> words) {
        List<String> kept = new ArrayList<>();
        List<String> signals = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--")) {
                signals.addAll(words.subList(i + 1, words.size()));
                break;
            }
            if (OPTIONS.contains(w) || w.startsWith("--") || !w.startsWith("-") || w.length() == 1) {
                kept.add(w);
                if ((w.equals("-s") || w.equals("--signal")) && i + 1 < words.size()) {
                    kept.add(words.get(++i));
                }
            } else {
                signals.add(w);
            }
        }
        if (!signals.isEmpty()) {
            kept.add("--");
            kept.addAll(signals);
        }
        return kept;
    }

    @Override
    public Integer call() {
        if (list) {
            return SignalsCommand.print(table(), words, out, style());
        }
        return send(this, SignalArgs.parse(table(), words, signal, table().signals().require("KILL")), scope(tree, group, process));
    }

    /** Sends to every job, all references having been checked first; the table records each. */
    static int send(ProcshCommand command, SignalArgs args, Scope scope) {
        List<Job> refused = new ArrayList<>();
        String reason = null;
        for (Job job : new java.util.LinkedHashSet<>(args.jobs)) {
            try {
                command.session().table().signal(job, args.signal, scope, Sender.USER);
            } catch (ProcshException e) {
                refused.add(job);
                reason = e.getMessage();
            }
        }
        if (refused.isEmpty()) {
            return 0;
        }
        // One line for the whole refusal, however many jobs it names.
        String message = refused.size() == 1 ? reason
                : "jobs " + refused.stream().map(j -> Integer.toString(j.id())).collect(java.util.stream.Collectors.joining(", "))
                        + " have already ended: not signalling them, their PIDs may belong to other processes now";
        command.errors().println(command.spec().name() + ": " + message);
        return FAILED;
    }

    /** The group unless told otherwise, as bash's {@code kill %1}: the leader alone would orphan its children. */
    static Scope scope(boolean tree, boolean group, boolean process) {
        if ((tree ? 1 : 0) + (group ? 1 : 0) + (process ? 1 : 0) > 1) {
            throw new ProcshException("give one of --process, --group, --tree");
        }
        return tree ? Scope.TREE : process ? Scope.PROCESS : Scope.GROUP;
    }

    static Signal require(ProcshCommand command, String name) {
        return command.session().table().signals().require(name);
    }
}

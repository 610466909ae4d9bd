package procsh.command.commands;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.Interruptible;
import procsh.command.MergedLines;
import procsh.core.LogFollower;
import procsh.command.PassThroughWriter;
import procsh.command.ProcshCommand;
import procsh.command.Sizes;
import procsh.core.Job;
import procsh.core.OutputChannel;
import procsh.text.Escape;

@Command(name = "logs", description = "Show the last lines a job wrote; -f follows new output until the job ends or Ctrl-C.",
        footerHeading = "%nExamples:%n", footer = {"  logs 2", "  logs 2 --stderr -n 50", "  logs web -f", "  logs -f 1 2 web      (one stream, each line behind its job's name)", "  logs -f --all --timestamps", "  logs 2 --raw > out.bin   (the bytes as written)", "",
                "Control characters in the output show escaped (\\e, \\r) unless --raw."})
public final class LogsCommand extends ProcshCommand implements Interruptible {

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Job ids or names; several are shown as one stream, each line behind its job's name.")
    List<String> refs = new java.util.ArrayList<>();

    @Option(names = "--all", description = "Every job, and with -f every job started later too, until Ctrl-C.")
    boolean all;

    @Option(names = {"-t", "--timestamps"}, description = "Show when each line was read (with -f: within 50 ms of its writing).")
    boolean timestamps;

    @Option(names = "--stdout", description = "Only stdout.")
    boolean stdout;

    @Option(names = "--stderr", description = "Only stderr.")
    boolean stderr;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "How many lines from the end (default 10).")
    int lines = 10;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the job ends (Ctrl-C stops following).")
    boolean follow;

    @Option(names = "--raw", description = "The bytes exactly as the job wrote them: escape sequences act on the terminal.")
    boolean raw;

    private OutputChannel lastShown;

    @Override
    public Integer call() throws InterruptedException {
        if (lines < 0) {
            throw new procsh.core.ProcshException("-n wants a number of lines, 0 or more");
        }
        Set<OutputChannel> channels = stdout == stderr ? EnumSet.allOf(OutputChannel.class)
                : EnumSet.of(stdout ? OutputChannel.STDOUT : OutputChannel.STDERR);
        if (all && !refs.isEmpty()) {
            throw new procsh.core.ProcshException("give job ids or --all, not both");
        }
        if (!all && refs.isEmpty()) {
            throw new procsh.core.ProcshException("which job? give its id or name (logs 2), several, or --all");
        }
        List<Job> jobs = all ? table().jobs() : jobs(refs);
        if (all || jobs.size() > 1 || timestamps) {
            if (raw) {
                throw new procsh.core.ProcshException("--raw shows one job's bytes: give one id");
            }
            return merged(jobs, channels);
        }
        Job job = jobs.get(0);
        boolean both = channels.size() == 2;
        if (raw) {
            return raw(job, channels);
        }
        if (follow) {
            job.output().follow(channels, lines, (c, line) -> print(c, line, both, job), job::hasEnded);
            out.println(style().dim(tag(job) + " " + job.status()));
            return 0;
        }
        for (OutputChannel c : channels) {
            List<String> tail = job.output().tail(c, lines);
            if (both && !tail.isEmpty()) {
                header(c, job);
            }
            tail.forEach(line -> out.println(Escape.outputLine(line)));
            cutNote(job, c, tail.size());
        }
        return 0;
    }

    /** Says so when the lines asked for reach back past what the log cap kept. */
    private void cutNote(Job job, OutputChannel c, int shown) {
        long dropped = job.output().dropped(c);
        if (shown < lines && dropped > 0) {
            out.println(style().dim("(" + Sizes.human(dropped) + " of earlier " + c.label() + " was dropped by the log cap of "
                    + Sizes.human(job.output().cap()) + "; --log-max at spawn sets it)"));
        }
    }

    /** Several jobs as one stream: their last lines, then (-f) everything new, each line behind its job's name. */
    private int merged(List<Job> jobs, Set<OutputChannel> channels) throws InterruptedException {
        MergedLines printer = new MergedLines(out, style(), timestamps, jobs);
        LogFollower follower = new LogFollower(all ? table()::jobs : () -> jobs, channels);
        if (!follow) {
            for (Job job : jobs) {
                for (OutputChannel c : channels) {
                    job.output().tail(c, lines).forEach(line -> printer.line(job, c, line));
                }
            }
            return 0;
        }
        // --all follows until Ctrl-C; named jobs until they have all ended.
        follower.run(lines, printer, () -> !all && jobs.stream().allMatch(Job::hasEnded));
        return 0;
    }

    /** Bytes through unchanged: no headers, no colour, no escaping. */
    private int raw(Job job, Set<OutputChannel> channels) throws InterruptedException {
        if (follow) {
            job.output().followBytes(channels, lines, (c, bytes) -> writeRaw(bytes), job::hasEnded);
        } else {
            for (OutputChannel c : channels) {
                writeRaw(job.output().tailBytes(c, lines));
            }
        }
        return 0;
    }

    private void writeRaw(byte[] bytes) {
        if (out instanceof PassThroughWriter bytesOut) {
            bytesOut.writeBytes(bytes);
        } else {
            // A writer of text (the console, a script's capture): the bytes as UTF-8 text, still unescaped.
            out.print(new String(bytes, StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** Like tail(1) with several files: a header whenever the stream changes. */
    private void print(OutputChannel c, String line, boolean both, Job job) {
        if (both && c != lastShown) {
            header(c, job);
        }
        String shown = Escape.outputLine(line);
        out.println(c == OutputChannel.STDERR && style().enabled() ? style().red(shown) : shown);
        out.flush();
    }

    private void header(OutputChannel c, Job job) {
        lastShown = c;
        out.println(style().dim("==> " + c.label() + " of " + tag(job) + " (" + Sizes.human(job.output().size(c)) + ") <=="));
    }

    @Override
    public String afterInterrupt() {
        return "the jobs keep running";
    }
}

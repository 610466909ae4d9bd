package procsh.command;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import procsh.core.Job;
import procsh.core.LogFollower;
import procsh.core.OutputChannel;
import procsh.text.Escape;

/**
 * Several jobs' output as one stream, as foreman and overmind print it: each line behind its job's
 * name (or id), padded so the text lines up, in a colour of its own on a terminal; stderr lines
 * in red; optionally the time each line was read (within the follower's 50 ms poll).
 */
public final class MergedLines implements LogFollower.Sink {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintWriter out;
    private final Style style;
    private final boolean timestamps;
    private int width;

    public MergedLines(PrintWriter out, Style style, boolean timestamps, Iterable<Job> known) {
        this.out = out;
        this.style = style;
        this.timestamps = timestamps;
        known.forEach(j -> width = Math.max(width, label(j).length()));
    }

    /** The name a line is shown behind: the job's name, else its id. */
    public static String label(Job job) {
        return job.name() != null ? Escape.field(job.name()) : Integer.toString(job.id());
    }

    @Override
    public synchronized void line(Job job, OutputChannel channel, String line) {
        String label = label(job);
        width = Math.max(width, label.length());
        String prefix = label + " ".repeat(width - label.length()) + " | ";
        String text = Escape.outputLine(line);
        out.println((timestamps ? style.dim(LocalTime.now().format(CLOCK)) + " " : "") + style.cycle(job.id(), prefix)
                + (channel == OutputChannel.STDERR ? style.red(text) : text));
        out.flush();
    }
}

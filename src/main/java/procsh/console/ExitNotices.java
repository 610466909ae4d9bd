package procsh.console;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jline.reader.LineReader;
import procsh.command.LeftRunning;
import procsh.command.ShellSession;
import procsh.command.Style;
import procsh.core.Durations;
import procsh.core.Job;
import procsh.core.JobListener;

/**
 * Announces jobs that end, as bash does: above the prompt at once while the user types, without
 * breaking the line; or before the next prompt when a command was running. A job whose ending a
 * command already printed (wait, poll, stop) is not announced again.
 */
final class ExitNotices implements JobListener {

    private final LineReader reader;
    private final ShellSession session;
    private final Style style;
    private final ConcurrentLinkedQueue<Job> pending = new ConcurrentLinkedQueue<>();
    /** Restart and connection notices, written when they happened (the job's state moves on). */
    private final ConcurrentLinkedQueue<String> said = new ConcurrentLinkedQueue<>();

    private final java.util.function.Supplier<String> prompt;

    ExitNotices(LineReader reader, ShellSession session, java.util.function.Supplier<String> prompt) {
        this.reader = reader;
        this.session = session;
        this.style = session.style();
        this.prompt = prompt;
    }

    @Override
    public void jobEnded(Job job) {
        pending.add(job);
        if (reader.isReading()) {
            flush();
        }
    }

    @Override
    public void jobRestarting(Job job, procsh.core.Ending run, java.time.Duration delay) {
        say(restartNotice(job, run, delay));
    }

    @Override
    public void hostLost(String host, int jobs) {
        say(style.yellow("[" + procsh.text.Escape.field(host) + "] connection lost")
                + (jobs == 0 ? "" : ": " + jobs + " job" + (jobs == 1 ? "" : "s") + " there unknown until procsh reconnects"));
    }

    @Override
    public void hostBack(String host, int readopted, int gone) {
        say("[" + procsh.text.Escape.field(host) + "] reconnected: " + readopted + " job" + (readopted == 1 ? "" : "s") + " followed again"
                + (gone == 0 ? "" : style.yellow("; " + gone + " lost with their agent (how they ended is unknown)")));
    }

    private void say(String line) {
        said.add(line);
        if (reader.isReading()) {
            flush();
        }
    }

    /** {@code [2] exited 1  ./server  restart 3 in 4s (on-failure)} */
    String restartNotice(Job job, procsh.core.Ending run, java.time.Duration delay) {
        return "[" + job.id() + "] " + style.state(run.state(), run.describe()) + "  " + job.commandLine()
                + "  " + style.yellow("restart " + (job.restarts() + 1) + " in " + Durations.format(delay))
                + style.dim(" (" + job.restartPolicy().mode().label() + ")");
    }

    /** Prints every notice not yet shown; called while reading (above the prompt) or before a prompt. */
    synchronized void flush() {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = said.poll()) != null) {
            lines.add(line);
        }
        Job job;
        while ((job = pending.poll()) != null) {
            if (!session.takeReported(job)) {
                lines.add(notice(job));
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        if (reader.isReading()) {
            // The prompt counts running jobs: redraw it with the new count along with the notice.
            if (reader instanceof org.jline.reader.impl.LineReaderImpl impl) {
                impl.setPrompt(prompt.get());
            }
            lines.forEach(reader::printAbove);
        } else {
            lines.forEach(l -> reader.getTerminal().writer().println(l));
            reader.getTerminal().writer().flush();
        }
    }

    /** {@code [2] exited 0  python script.py  (3.2s)}, and what it left running if anything. */
    String notice(Job job) {
        return "[" + job.id() + "] " + style.state(job.state(), job.ending().describe()) + "  " + job.commandLine()
                + style.dim("  (" + Durations.format(job.runTime()) + ")") + LeftRunning.note(session.table(), job);
    }
}

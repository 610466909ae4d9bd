package procsh.command.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.command.RawTerminal;
import procsh.core.Job;
import procsh.core.JobTerminal;
import procsh.core.OutputChannel;
import procsh.core.ProcshException;

@Command(name = "attach", description = "Connect the console to the terminal of a job started with spawn --pty; Ctrl-] detaches.",
        footerHeading = "%nExamples:%n", footer = {"  spawn --pty python3", "  attach 1        (type into it; Ctrl-] comes back, the job keeps running)"})
public final class AttachCommand extends ProcshCommand {

    /** Ctrl-], as telnet: a byte no shell or REPL binds. */
    static final byte DETACH = 0x1d;
    private static final long READ_MILLIS = 100;
    /** How much of the job's unfinished last line (a REPL's prompt) is shown on attach. */
    private static final int PROMPT_MAX = 2048;
    /** Undoes what a program may have left set on the viewer's screen: colours, hidden cursor, keypad modes. */
    private static final byte[] SCREEN_RESET = "\u001b[0m\u001b[?25h\u001b[?1l\u001b>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALT_ON = "\u001b[?1049h".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLEAR = "\u001b[H\u001b[2J".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALT_OFF = "\u001b[?1049l".getBytes(StandardCharsets.US_ASCII);

    @Parameters(paramLabel = "ID", description = "Job id or name.")
    String ref;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Job job = job(ref);
        JobTerminal terminal = job.terminal();
        if (terminal == null) {
            throw new ProcshException("job " + job.id() + " has no terminal: only a job started with spawn --pty can be attached");
        }
        if (job.hasEnded() || terminal.isClosed()) {
            throw new ProcshException("job " + job.id() + (job.hasEnded() ? " has ended (" + job.ending().describe() + ")" : " has closed its terminal")
                    + ": nothing to attach to; logs " + job.id() + " shows what it wrote");
        }
        RawTerminal raw = session().rawTerminal();
        if (raw == null) {
            throw new ProcshException("attach needs the interactive console (this session has no keyboard): use send "
                    + job.id() + " TEXT and logs " + job.id() + " instead");
        }
        if (terminal.attached()) {
            throw new ProcshException("job " + job.id() + " is attached already: detach there first (Ctrl-])");
        }
        out.println(style().dim("attached to " + tag(job) + " " + job.commandLine() + " \u2014 Ctrl-] detaches"));
        out.flush();
        JobTerminal.Viewer viewer = raw::write;
        boolean detached;
        try (RawTerminal.Mode size = raw.watchSize(() -> terminal.resize(raw.columns(), raw.rows()));
             RawTerminal.Mode mode = raw.enterRaw()) {
            boolean alternate = terminal.alternateScreen();
            if (alternate) {
                raw.write(ALT_ON, ALT_ON.length);
            }
            if (terminal.fullScreen()) {
                raw.write(CLEAR, CLEAR.length);
                // A full-screen program redraws on SIGWINCH, sent only when the size changes: change it twice.
                terminal.resize(raw.columns(), Math.max(1, raw.rows() - 1));
            } else {
                showPrompt(job, raw);
            }
            if (!terminal.attach(viewer)) {
                throw new ProcshException("job " + job.id() + " is attached already: detach there first (Ctrl-])");
            }
            try {
                terminal.resize(raw.columns(), raw.rows());
                detached = forward(job, terminal, raw);
            } catch (IOException e) {
                // Its keys cannot be delivered (its agent there is gone, say): the reason, as one line.
                throw new ProcshException("cannot type into job " + job.id() + ": " + e.getMessage(), e);
            } finally {
                terminal.detach(viewer);
                if (terminal.alternateScreen() || alternate) {
                    raw.write(ALT_OFF, ALT_OFF.length);
                }
                raw.write(SCREEN_RESET, SCREEN_RESET.length);
            }
        }
        out.println();
        if (detached && job.isAlive()) {
            out.println(style().dim("detached from " + tag(job) + "; it keeps running (attach " + job.id() + " returns)"));
        } else {
            awaitEnd(job);
            if (job.hasEnded()) {
                session().reported(job);
                out.println(tag(job) + " " + style().state(job.state(), job.ending().describe()) + "  " + job.commandLine());
            } else {
                out.println(style().dim(tag(job) + " closed its terminal; it keeps running (logs " + job.id() + " shows its output)"));
            }
        }
        return 0;
    }

    /**
     * Copies keystrokes to the job until Ctrl-], the end of the console's input, or the job's
     * terminal closing; true when the user left, false when the job did.
     */
    private static boolean forward(Job job, JobTerminal terminal, RawTerminal raw) throws IOException {
        byte[] keys = new byte[1024];
        while (!terminal.isClosed() && !job.hasEnded()) {
            if (Thread.currentThread().isInterrupted()) {
                return true;
            }
            int n = raw.read(keys, READ_MILLIS);
            if (n < 0) {
                return true;
            }
            int detach = indexOf(keys, n, DETACH);
            int length = detach >= 0 ? detach : n;
            if (length > 0) {
                try {
                    terminal.type(keys, 0, length); // what a job that reads nothing cannot take is dropped, as a full tty would
                } catch (procsh.core.ConnectionLost away) {
                    // Its host's link is down for now: the keys are dropped, the attach goes on, the screen resumes after.
                }
            }
            if (detach >= 0) {
                return true;
            }
        }
        try {
            // Its last words are still on their way through the pump.
            terminal.whenClosed().get(300, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A child still holds the terminal: what it writes stays in the log.
        }
        return false;
    }

    /** A REPL's prompt was written before the attach: show the job's unfinished last line again. */
    private static void showPrompt(Job job, RawTerminal raw) throws IOException {
        byte[] last = job.output().tailBytes(OutputChannel.STDOUT, 1);
        if (last.length > 0 && last.length <= PROMPT_MAX && last[last.length - 1] != '\n') {
            raw.write(last, last.length);
        }
    }

    private static void awaitEnd(Job job) throws InterruptedException {
        try {
            job.whenEnded().get(1, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Reported as still running.
        }
    }

    private static int indexOf(byte[] bytes, int length, byte wanted) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}

package procsh.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** Runs lines without a terminal: from -c, or read from a pipe. No prompt, no colour. */
final class BatchRunner {

    /** Longer lines are not code a person wrote; reading them whole could exhaust the heap. */
    static final int MAX_LINE = 1_000_000;
    private static final String TOO_LONG = new String("(too long)");

    private final ProcshSession session;
    private final PrintWriter out;
    private final PrintWriter err;

    BatchRunner(ProcshSession session, PrintWriter out, PrintWriter err) {
        this.session = session;
        this.out = out;
        this.err = err;
    }

    /** @return the status of the last line, or of {@code exit} */
    int run(List<String> lines) throws InterruptedException {
        int status = 0;
        for (String line : lines) {
            status = runOne(line);
            if (session.exitRequested()) {
                return session.shellSession().exitStatus();
            }
        }
        return status;
    }

    int run(BufferedReader in) throws IOException, InterruptedException {
        int status = 0;
        StringBuilder pending = new StringBuilder();
        String line;
        int number = 0;
        while ((line = boundedLine(in)) != null) {
            number++;
            if (line == TOO_LONG) {
                err.println("line " + number + ": longer than " + MAX_LINE + " characters: skipped");
                err.flush();
                pending.setLength(0);
                status = 2;
                continue;
            }
            pending.append(line);
            if (session.isIncomplete(pending.toString())) {
                pending.append('\n');
                continue;
            }
            status = runOne(pending.toString());
            pending.setLength(0);
            if (session.exitRequested()) {
                return session.shellSession().exitStatus();
            }
        }
        if (pending.length() > 0) {
            status = runOne(pending.toString());
        }
        return status;
    }

    /** A line, {@link #TOO_LONG} (the rest of it read and dropped) past {@link #MAX_LINE} chars, null at the end. */
    private static String boundedLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.length() <= MAX_LINE) {
                line.append((char) c);
            }
        }
        if (c < 0 && line.length() == 0) {
            return null;
        }
        if (line.length() > MAX_LINE) {
            return TOO_LONG;
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }

    private int runOne(String line) throws InterruptedException {
        int status;
        try {
            status = session.run(line, out, err);
        } catch (OutOfMemoryError e) {
            // The line's garbage is unreachable once we are here: say so and go on with the next.
            err.println("procsh: out of memory: that line stopped");
            status = 1;
        }
        out.flush();
        err.flush();
        return status;
    }
}

package procsh.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** Runs lines without a terminal: from -c, or read from a pipe. No prompt, no colour. */
final class BatchRunner {

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
        while ((line = in.readLine()) != null) {
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

    private int runOne(String line) throws InterruptedException {
        int status = session.run(line, out, err);
        out.flush();
        err.flush();
        return status;
    }
}

package procsh.command.commands;

import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import procsh.command.ProcshCommand;
import procsh.core.Durations;
import procsh.core.Job;
import procsh.core.Sender;
import procsh.core.StopReport;
import procsh.text.Escape;

@Command(name = "exit", aliases = {"quit"}, description = "Leave procsh; running jobs are stopped (grace, then KILL) unless --keep.",
        footerHeading = "%nExamples:%n",
        footer = {"  exit          (warns once if jobs are running; exit again stops them)", "  exit --keep   (leave the jobs running)",
                "  exit 3        (procsh's exit status)"})
public final class ExitCommand extends ProcshCommand {

    @Option(names = "--keep", description = "Leave running jobs running after procsh exits.")
    boolean keep;

    @Parameters(paramLabel = "STATUS", arity = "0..1", description = "Exit status (default 0).")
    Integer status;

    @Override
    public Integer call() {
        int code = status == null ? 0 : status;
        List<Job> running = table().running();
        if (keep) {
            table().keepJobs(true);
            if (!running.isEmpty()) {
                out.println("leaving " + running.size() + " job" + (running.size() == 1 ? "" : "s") + " running: " + names(running));
            }
            for (Job job : running) {
                if (!job.hostReachable()) {
                    out.println(tag(job) + " cannot be kept: the connection to " + Escape.field(job.host()) + " is lost, and " + AFTER_LINGER);
                } else if (job.remoteLog() != null) {
                    // Its agent lets go of it: the output goes on to the agent's copy there.
                    out.println(tag(job) + " writes on to " + Escape.field(job.host()) + ":" + Escape.field(job.remoteLog()));
                }
            }
            List<Job> withTerminal = running.stream().filter(j -> j.terminal() != null).toList();
            if (!withTerminal.isEmpty()) {
                // Their terminal closes with procsh, as a window that is closed: most programs end on the hangup.
                out.println("their terminals close with procsh: " + names(withTerminal) + " get" + (withTerminal.size() == 1 ? "s" : "")
                        + " a hangup (SIGHUP)");
            }
            exitSession(code);
            return code;
        }
        if (!running.isEmpty() && session.interactive() && !exitWarned()) {
            markWarned();
            err.println("there " + (running.size() == 1 ? "is 1 running job" : "are " + running.size() + " running jobs") + ": "
                    + names(running));
            err.println("exit again to stop " + (running.size() == 1 ? "it" : "them") + " (SIGTERM, " + Durations.format(table().defaultGrace())
                    + " grace, then SIGKILL), or exit --keep to leave " + (running.size() == 1 ? "it" : "them") + " running");
            return FAILED;
        }
        if (!running.isEmpty()) {
            java.io.PrintWriter to = session.interactive() ? out : err;
            for (StopReport r : table().stopAll(table().defaultGrace(), Sender.SESSION_EXIT)) {
                to.println(tag(r.job()) + " " + r.describe() + "  " + r.job().commandLine());
            }
            for (Job job : running) {
                if (job.isAlive() && !job.hostReachable()) {
                    to.println(tag(job) + " not reached on " + Escape.field(job.host()) + " (the connection is lost): " + AFTER_LINGER);
                }
            }
        }
        exitSession(code);
        return code;
    }

    /** What becomes of a remote job procsh cannot reach as it leaves. */
    private static final String AFTER_LINGER = "its agent there stops it when procsh has not come back within the linger ("
            + procsh.remote.SshLauncher.LINGER_ENV + ")";

    private static String names(List<Job> jobs) {
        return jobs.stream().map(j -> "[" + j.id() + "] " + j.pid() + " " + j.commandLine()
                + (j.host() == null ? "" : " on " + Escape.field(j.host()))).collect(Collectors.joining(", "));
    }
}

// Run a command with a deadline and exit with its status, like coreutils timeout(1).
//
//   procsh scripts/deadline.groovy DEADLINE COMMAND [ARG...]
//
// DEADLINE is a duration (500ms, 10s, 2m; default 5s). When the command ends in time, its status
// is passed on (128+N if a signal N killed it, as bash would say). When the deadline passes it
// is stopped (SIGTERM, 2s of grace, then SIGKILL) and the exit status is 124, as timeout(1) says.
// Without COMMAND it runs `sleep 10`.
//
// spawn(timeout: DEADLINE, ...) would do the same inside the table; this script shows the
// waitFor(timeout) way, which leaves the decision (and the report) to the script.

def deadline = args.length > 0 ? args[0] : '5s'
def command = args.length > 1 ? args[1..-1] : ['sleep', '10']

def job = spawn(command)
if (job.waitFor(deadline)) {
    // waitFor(timeout) is true when the job ended in time; false leaves it running.
    println "${job.command}: ${job.poll()}"
    exit(job.shellStatus)
}
def report = job.stop('2s')
err.println "${job.command}: deadline of $deadline passed; ${report}"
exit(124)

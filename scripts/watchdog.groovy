// A watchdog: keep a process running, restarting it with exponential backoff when it crashes,
// and give up after a number of tries in a row.
//
//   procsh scripts/watchdog.groovy [TRIES] [BACKOFF] [COMMAND ARG...]
//
// TRIES (default 5) is how many crashes in a row are tolerated; BACKOFF (default 500ms) is the
// first pause before a restart, doubled after each crash up to 30s. A run that lasted longer
// than HEALTHY counts as a recovery: the backoff and the count of tries start over.
// Without COMMAND it watches a stand-in that crashes at once (exit 3), to show the give-up path.
// A clean exit (status 0) is not a crash: the watchdog stops and exits 0. Giving up exits 1.

int tries = args.length > 0 ? args[0] as int : 5
def backoff = Durations.of(args.length > 1 ? args[1] : '500ms')
def command = args.length > 2 ? args[2..-1] : ['sh', '-c', 'echo "starting"; sleep 0.1; echo "crashed" >&2; exit 3']
def HEALTHY = Duration.ofSeconds(10)
def MAX_BACKOFF = Duration.ofSeconds(30)

int crashes = 0
def pause = backoff
while (true) {
    def job = spawn(name: 'watched', command)
    println "started ${job}"
    job.waitFor()
    if (job.returncode == 0) {
        println "clean exit after ${Durations.format(job.runTime)}: not restarting"
        exit(0)
    }
    if (job.runTime > HEALTHY) {
        // It ran well for a while: this crash starts a new series.
        crashes = 0
        pause = backoff
    }
    crashes++
    def why = job.stderrLines ? " (${job.stderrLines[-1]})" : ''
    if (crashes >= tries) {
        println "crash $crashes of $tries: ${job.poll()}$why; giving up"
        exit(1)
    }
    println "crash $crashes of $tries: ${job.poll()}$why; restarting in ${Durations.format(pause)}"
    sleep(pause)
    pause = [pause.multipliedBy(2), MAX_BACKOFF].min()
}

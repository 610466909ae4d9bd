// Fan out N workers at once, report each one's exit as it happens, then a summary.
//
//   procsh scripts/fan-out.groovy [WORKERS] [SECONDS]
//
// WORKERS (default 4) is how many to start; SECONDS (default 1) is how long each one works.
// Every third worker fails on purpose (exit 3), so the report has something to say.
// The exit status is 0 when every worker succeeded, 1 otherwise.

int workers = args.length > 0 ? args[0] as int : 4
def seconds = args.length > 1 ? args[1] : '1'

def started = (1..workers).collect { n ->
    // One job per worker, named so `list` and jobs['worker-2'] find it. A real worker would be
    // spawn('python', 'worker.py', n); here a shell stands in for it.
    spawn(name: "worker-$n", 'sh', '-c', 'sleep "$1"; [ $(($2 % 3)) -ne 0 ] || exit 3; echo "done $2"',
          'worker', seconds, n)
}
println "started ${started.size()} workers: ${started*.pid.join(' ')}"

// onExit closures run on procsh's own callback thread as each worker ends, in the order they end.
started.each { job ->
    job.onExit { j ->
        println "${j.name} (pid ${j.pid}) ${j.poll()}" + (j.stdout ? ": ${j.stdout.trim()}" : '')
    }
}

// waitAll() returns once every running job has ended and its onExit closures have run.
waitAll()
def failed = started.findAll { it.returncode != 0 }
println "${started.size()} workers ended, ${failed.size()} failed" + (failed ? ": ${failed*.name.join(', ')}" : '')
exit(failed ? 1 : 0)

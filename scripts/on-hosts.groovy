// Run one command on several hosts at once (over ssh, with procsh there), then say how it went on each.
//
//   procsh scripts/on-hosts.groovy COMMAND HOST...
//
// COMMAND runs under sh -c on each HOST ([user@]host, as ssh takes it). The jobs run side by side;
// once all have ended, each host's output is printed with the host before each line, then how the
// command ended there. A host that cannot be reached gets one line saying why, and the others go on.
// The exit status is 0 when the command succeeded on every host, 1 otherwise.

if (args.length < 2) {
    err.println 'usage: procsh scripts/on-hosts.groovy COMMAND HOST...'
    exit(2)
}
def command = args[0]
def hosts = args.toList().drop(1)

// One job per host; spawn connects on first use of a host (a few hundred ms), then returns at once.
def jobs = [:]
def unreached = []
hosts.each { host ->
    try {
        jobs[host] = spawn(host: host, 'sh', '-c', command)
    } catch (Exception e) {
        unreached << host
        println "$host: not reached: ${e.message}"
    }
}

// waitAll() returns once every job has ended, wherever it ran.
waitAll()
jobs.each { host, job ->
    job.eachLine { line -> println "$host: $line" }
    println "$host: ${job.poll()}"
}
def failed = jobs.findAll { host, job -> job.returncode != 0 }.keySet() + unreached
println "${hosts.size()} hosts: ${hosts.size() - failed.size()} succeeded" + (failed ? ", ${failed.size()} did not: ${failed.join(', ')}" : '')
exit(failed ? 1 : 0)

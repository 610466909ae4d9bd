// Shut a process tree down gracefully and report which of its processes needed SIGKILL.
//
//   procsh scripts/graceful-shutdown.groovy [GRACE]
//
// It starts a small tree standing in for a real service (a shell with two children, one of which
// ignores SIGTERM), sends SIGTERM to the whole process group, gives everything GRACE (default 2s)
// to finish, then kills what is left with SIGKILL, the way `stop` does, and says who needed it.
// The exit status is 0 when nothing survived the shutdown, 1 otherwise.

def grace = Durations.of(args.length > 0 ? args[0] : '2s')

// Each job leads its own process group, so one signal to the group reaches the whole tree.
// The service: a shell waiting on a well-behaved `sleep` (dies on SIGTERM) and on a stubborn
// shell that ignores SIGTERM, as does the `sleep` it starts.
def service = spawn(name: 'service', 'sh', '-c', '''sleep 300 & sh -c 'trap "" TERM; sleep 300' & wait''')

// Wait (at most 5s) until the tree is up: both sleeps running. children are the live processes
// of the job's tree, as /proc describes them (pid, command, state, ppid, pgrp ...).
def deadline = System.nanoTime() + 5_000_000_000L
while (service.children.count { it.command == 'sleep' } < 2 && System.nanoTime() < deadline) {
    sleep(20)
}
def before = [(service.pid): service.command] + service.children.collectEntries { [(it.pid): it.command] }
println "service tree: " + before.collect { pid, cmd -> "$pid $cmd" }.join(', ')

// Be polite first: SIGTERM to the whole group, then give it the grace period.
service.signal('TERM', 'group')
deadline = System.nanoTime() + grace.toNanos()
while ((service.alive || service.children) && System.nanoTime() < deadline) {
    sleep(20)
}

// Whatever is still alive now is going to need SIGKILL. children also lists the members of the
// job's process group that outlived its own process.
def stubborn = service.children.collect { "${it.pid} ${it.command}" }
if (service.alive) {
    stubborn.add(0, "${service.pid} ${service.command}")
}
if (stubborn) {
    // stop() with no grace left: SIGTERM again, then SIGKILL to the group and every descendant.
    def report = service.stop(0)
    println "needed SIGKILL: ${stubborn.join(', ')}"
    println "service: ${report}"
} else {
    println "everything ended on SIGTERM within ${Durations.format(grace)}"
}
def survivors = service.children
println survivors ? "still alive: ${survivors*.pid}" : "nothing left running"
exit(survivors ? 1 : 0)

#!/usr/bin/env python3
"""python3's subprocess doing the benchmark suite's workloads, as a peer of procsh.

Speaks the suite's line protocol (see src/test/java/procsh/bench/ProcshBench.java):
    R <tab> workload <tab> metric <tab> unit <tab> samples...   (times in us, memory in kB)
Uses subprocess as people do: Popen with its defaults (close_fds=True), output to /dev/null
unless a workload is about files.
"""
import argparse
import os
import subprocess
import sys
import time

DEVNULL = subprocess.DEVNULL
FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC


def now_us():
    return time.perf_counter_ns() / 1e3


def result(workload, metric, unit, samples):
    values = " ".join("%.3f" % s for s in samples)
    print("R\t%s\t%s\t%s\t%s" % (workload, metric, unit, values), flush=True)


def warn(message):
    print("W\t" + message.replace("\t", " ").replace("\n", " "), flush=True)


def self_status():
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            parts = value.split()
            if parts and parts[0].isdigit():
                fields[key] = int(parts[0])
    return fields


def expect(proc, code):
    if proc.returncode != code:
        warn("pid %d (%s): expected returncode %d, saw %s" % (proc.pid, proc.args[0], code, proc.returncode))


def sleeper():
    return subprocess.Popen(["sleep", "1000"], stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL)


def spawn(a):
    def once(name, files):
        if files:
            # Two new private files per process, as procsh creates for every job.
            out = os.open(os.path.join(a.tmp, name + ".out"), FILE_FLAGS | os.O_EXCL, 0o600)
            err = os.open(os.path.join(a.tmp, name + ".err"), FILE_FLAGS | os.O_EXCL, 0o600)
            try:
                p = subprocess.Popen(["/bin/true"], stdin=DEVNULL, stdout=out, stderr=err)
            finally:
                os.close(out)
                os.close(err)
        else:
            p = subprocess.Popen(["/bin/true"], stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL)
        p.wait()
        expect(p, 0)

    for files, metric in ((False, "per-process"), (True, "per-process-files")):
        for i in range(a.warmup):
            once("w%d" % i, files)
        samples = []
        for i in range(a.n):
            t0 = now_us()
            once(str(i), files)
            samples.append(now_us() - t0)
        result("spawn", metric, "us", samples)


def fanout(a):
    warm = [sleeper() for _ in range(a.warmup)]
    for p in warm:
        p.terminate()
    for p in warm:
        p.wait()
    key = "fanout-%d" % a.n
    t0 = now_us()
    procs = [sleeper() for _ in range(a.n)]
    t1 = now_us()
    live = self_status()
    t2 = now_us()
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait()
    t3 = now_us()
    for p in procs:
        expect(p, -15)
    end = self_status()
    result(key, "start-all", "us", [t1 - t0])
    result(key, "stop-all", "us", [t3 - t2])
    result(key, "threads-live", "n", [live["Threads"]])
    result(key, "peak-threads", "n", [max(live["Threads"], end["Threads"])])
    result(key, "rss-live", "kB", [live["VmRSS"]])
    result(key, "peak-rss", "kB", [end["VmHWM"]])


class Turns:
    """Turn-taking in a paired run (see Turns.java): one sample, then the turn goes on."""

    def __init__(self, a):
        # Read-write, so that opening a FIFO does not wait for its other end.
        self.fds = [os.open(f, os.O_RDWR) for f in (a.turn_in, a.turn_out)] if a.turn_in else None

    def take(self):
        if self.fds and not os.read(self.fds[0], 1):
            raise EOFError("the turn ring was closed")

    def give(self):
        if self.fds:
            os.write(self.fds[1], b"t")


def kill(a):
    samples = []
    turns = Turns(a)
    for i in range(-a.warmup, a.n):
        turns.take()
        p = sleeper()
        time.sleep(0.005)  # let it reach its sleep
        t0 = now_us()
        p.kill()
        p.wait()
        t1 = now_us()
        turns.give()
        expect(p, -9)
        if i >= 0:
            samples.append(t1 - t0)
    result("kill", "kill-to-exit", "us", samples)


def poll(a):
    procs = [sleeper() for _ in range(a.n)]
    time.sleep(0.2)
    samples = []
    not_running = 0
    for p_ in range(-5, a.reps):
        t0 = now_us()
        for p in procs:
            if p.poll() is not None:
                not_running += 1
        t1 = now_us()
        if p_ >= 0:
            samples.append(t1 - t0)
    if not_running:
        warn("%d polls did not answer 'running'" % not_running)
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait()
    result("poll", "poll-pass", "us", samples)


def capture(a):
    def once(size):
        path = os.path.join(a.tmp, "capture.out")
        t0 = now_us()
        out = os.open(path, FILE_FLAGS, 0o600)
        try:
            p = subprocess.Popen(["head", "-c", str(size), "/dev/zero"], stdin=DEVNULL, stdout=out, stderr=DEVNULL)
        finally:
            os.close(out)
        p.wait()
        t1 = now_us()
        expect(p, 0)
        got = os.path.getsize(path)
        if got != size:
            warn("captured %d bytes, expected %d" % (got, size))
        os.unlink(path)
        return size / (1 << 20) / ((t1 - t0) / 1e6)

    once(min(a.bytes, 16 << 20))
    result("capture", "throughput", "MBps", [once(a.bytes) for _ in range(a.reps)])
    result("capture", "peak-rss", "kB", [self_status()["VmHWM"]])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workload", required=True, choices=["spawn", "fanout", "kill", "poll", "capture"])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--bytes", type=int, default=200 << 20)
    parser.add_argument("--tmp", default="/tmp")
    parser.add_argument("--turn-in")
    parser.add_argument("--turn-out")
    a = parser.parse_args()
    os.makedirs(a.tmp, exist_ok=True)
    print("I\tversion\t" + sys.version.split()[0], flush=True)
    globals()[a.workload](a)


if __name__ == "__main__":
    main()

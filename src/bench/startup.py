#!/usr/bin/env python3
"""Start-up benchmark: how long until procsh's prompt is ready to type in, how long a short
`procsh -c` run takes, and, in the same run, how long jshell takes to its first result.

Each program runs in a pseudo-terminal (as a person would start it) sized 120x40; the clock stops
when the prompt (or result) appears in its output. Medians over --runs runs (after one warm-up run
each, which also lets the launcher build its class-data archive for this JDK)."""
import argparse, fcntl, os, pty, select, statistics, struct, subprocess, sys, termios, time

def in_pty(argv, marker, type_after=None, timeout=20.0, env=None):
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        if env:
            os.environ.update(env)
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
    out, typed, elapsed = b"", False, None
    while time.monotonic() - t0 < timeout:
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
        if type_after and not typed and type_after[0].encode() in out:
            os.write(fd, type_after[1].encode())
            typed = True
        if (not type_after or typed) and marker.encode() in out:
            elapsed = time.monotonic() - t0
            break
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed

def command_time(argv):
    t0 = time.monotonic()
    subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.monotonic() - t0

def measure(name, fn, runs):
    fn()  # warm-up: file cache, and the launcher's archive for this JDK
    samples = [fn() for _ in range(runs)]
    ok = [s for s in samples if s is not None]
    if not ok:
        return name, None, None, None
    return name, statistics.median(ok) * 1000, min(ok) * 1000, max(ok) * 1000

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--procsh", default=os.path.join(root, "target", "procsh"))
    p.add_argument("--jshell", default="jshell")
    p.add_argument("--out", default=os.path.join(root, "target", "bench", "startup.md"))
    a = p.parse_args()
    rows = [
        measure("procsh: prompt ready", lambda: in_pty([a.procsh], "procsh> "), a.runs),
        measure("procsh -c 'spawn true; wait 1'", lambda: command_time([a.procsh, "-c", "spawn true; wait 1"]), a.runs),
        measure("jshell: first result of 1+1", lambda: in_pty([a.jshell], "==> 2", type_after=("jshell>", "1+1\n")), a.runs),
    ]
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    lines = [f"Start-up, {a.runs} runs each, medians in ms ({java}; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f})", "",
             "| what | median | min | max |", "|---|---:|---:|---:|"]
    for name, med, lo, hi in rows:
        lines.append(f"| {name} | {med:.0f} | {lo:.0f} | {hi:.0f} |" if med else f"| {name} | failed | | |")
    if rows[0][1] and rows[2][1]:
        lines += ["", f"jshell to its first result / procsh to its prompt: {rows[2][1] / rows[0][1]:.1f}x"]
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        f.write(text)
    print(text)

if __name__ == "__main__":
    main()

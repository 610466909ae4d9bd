/*
 * The physical limit for the procsh benchmark suite: the same workloads with bare posix_spawn
 * and waitpid, nothing else. Built on the fly by src/bench/run (cc -O2). Speaks the suite's line
 * protocol: "R\tworkload\tmetric\tunit\tsamples..." with times in us and memory in kB.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *workload = "spawn";
static const char *tmp = "/tmp";
static long n = 1000, warmup = 1000, reps = 3, bytes = 200L << 20;
/* Turn-taking in a paired run (see Turns.java): FIFOs, opened read-write so no open waits. */
static const char *turn_in, *turn_out;
static int turn_fds[2] = {-1, -1};

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void result(const char *w, const char *metric, const char *unit, const double *samples, long count) {
    printf("R\t%s\t%s\t%s\t", w, metric, unit);
    for (long i = 0; i < count; i++) {
        printf(i ? " %.3f" : "%.3f", samples[i]);
    }
    printf("\n");
    fflush(stdout);
}

static void result1(const char *w, const char *metric, const char *unit, double value) {
    result(w, metric, unit, &value, 1);
}

static void die(const char *what, int err) {
    fprintf(stderr, "peer-c: %s: %s\n", what, strerror(err));
    exit(1);
}

/* A field of /proc/self/status in its own unit (kB or a count); -1 when missing. */
static long self_status(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t len = strlen(field);
    long value = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            value = strtol(line + len + 1, NULL, 10);
            break;
        }
    }
    if (f) {
        fclose(f);
    }
    return value;
}

/* Starts argv with stdin from /dev/null and stdout/stderr to the given files (NULL: /dev/null). */
static pid_t start(char *const argv[], const char *out, const char *err) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err ? err : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0600);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        die("posix_spawn", rc);
    }
    return pid;
}

static int reap(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            die("waitpid", errno);
        }
    }
    return status;
}

static void expect_exit(pid_t pid, int status, int code) {
    if (!WIFEXITED(status) || WEXITSTATUS(status) != code) {
        printf("W\tpid %d: expected exit %d, saw status 0x%x\n", pid, code, status);
    }
}

static void expect_signal(pid_t pid, int status, int sig) {
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig) {
        printf("W\tpid %d: expected signal %d, saw status 0x%x\n", pid, sig, status);
    }
}

static char *const TRUE_ARGV[] = {"/bin/true", NULL};
static char *const SLEEP_ARGV[] = {"/bin/sleep", "1000", NULL};

static void spawn_once(const char *prefix, long i, int files) {
    char out[4096], err[4096];
    if (files) {
        snprintf(out, sizeof out, "%s/%s%ld.out", tmp, prefix, i);
        snprintf(err, sizeof err, "%s/%s%ld.err", tmp, prefix, i);
    }
    pid_t pid = start(TRUE_ARGV, files ? out : NULL, files ? err : NULL);
    expect_exit(pid, reap(pid), 0);
}

static void spawn_workload(void) {
    double *us = calloc(n, sizeof *us);
    for (int files = 0; files <= 1; files++) {
        for (long i = 0; i < warmup; i++) {
            spawn_once("w", i, files);
        }
        for (long i = 0; i < n; i++) {
            double t0 = now_us();
            spawn_once("", i, files);
            us[i] = now_us() - t0;
        }
        result("spawn", files ? "per-process-files" : "per-process", "us", us, n);
    }
    free(us);
}

static void stop_all(pid_t *pids, long count) {
    for (long i = 0; i < count; i++) {
        kill(pids[i], SIGTERM);
    }
    for (long i = 0; i < count; i++) {
        expect_signal(pids[i], reap(pids[i]), SIGTERM);
    }
}

static void fanout_workload(void) {
    pid_t *pids = calloc(n > warmup ? n : warmup, sizeof *pids);
    for (long i = 0; i < warmup; i++) {
        pids[i] = start(SLEEP_ARGV, NULL, NULL);
    }
    stop_all(pids, warmup);
    double t0 = now_us();
    for (long i = 0; i < n; i++) {
        pids[i] = start(SLEEP_ARGV, NULL, NULL);
    }
    double t1 = now_us();
    long threads = self_status("Threads"), rss = self_status("VmRSS");
    double t2 = now_us();
    stop_all(pids, n);
    double t3 = now_us();
    char key[64];
    snprintf(key, sizeof key, "fanout-%ld", n);
    result1(key, "start-all", "us", t1 - t0);
    result1(key, "stop-all", "us", t3 - t2);
    result1(key, "threads-live", "n", threads);
    result1(key, "peak-threads", "n", threads);
    result1(key, "rss-live", "kB", rss);
    result1(key, "peak-rss", "kB", self_status("VmHWM"));
    free(pids);
}

static void turns_open(void) {
    if (turn_in && turn_out) {
        turn_fds[0] = open(turn_in, O_RDWR | O_CLOEXEC);
        turn_fds[1] = open(turn_out, O_RDWR | O_CLOEXEC);
        if (turn_fds[0] < 0 || turn_fds[1] < 0) die("open turn fifo", errno);
    }
}

static void turn_take(void) {
    char c;
    if (turn_fds[0] >= 0 && read(turn_fds[0], &c, 1) != 1) die("read turn", errno);
}

static void turn_give(void) {
    if (turn_fds[1] >= 0 && write(turn_fds[1], "t", 1) != 1) die("write turn", errno);
}

static void kill_workload(void) {
    double *us = calloc(n, sizeof *us);
    struct timespec settle = {0, 5000000}; /* let it reach its sleep */
    turns_open();
    for (long i = -warmup; i < n; i++) {
        turn_take();
        pid_t pid = start(SLEEP_ARGV, NULL, NULL);
        nanosleep(&settle, NULL);
        double t0 = now_us();
        kill(pid, SIGKILL);
        int status = reap(pid);
        double t1 = now_us();
        turn_give();
        expect_signal(pid, status, SIGKILL);
        if (i >= 0) {
            us[i] = t1 - t0;
        }
    }
    result("kill", "kill-to-exit", "us", us, n);
    free(us);
}

static void poll_workload(void) {
    pid_t *pids = calloc(n, sizeof *pids);
    double *us = calloc(reps, sizeof *us);
    long not_running = 0;
    for (long i = 0; i < n; i++) {
        pids[i] = start(SLEEP_ARGV, NULL, NULL);
    }
    struct timespec settle = {0, 200000000};
    nanosleep(&settle, NULL);
    for (long p = -5; p < reps; p++) {
        double t0 = now_us();
        for (long i = 0; i < n; i++) {
            int status;
            if (waitpid(pids[i], &status, WNOHANG) != 0) {
                not_running++;
            }
        }
        if (p >= 0) {
            us[p] = now_us() - t0;
        }
    }
    if (not_running) {
        printf("W\t%ld polls did not answer 'running'\n", not_running);
    }
    stop_all(pids, n);
    result("poll", "poll-pass", "us", us, reps);
    free(pids);
    free(us);
}

static double capture_once(long size) {
    char path[4096], count[32];
    snprintf(path, sizeof path, "%s/capture.out", tmp);
    snprintf(count, sizeof count, "%ld", size);
    char *const argv[] = {"/usr/bin/head", "-c", count, "/dev/zero", NULL};
    double t0 = now_us();
    pid_t pid = start(argv, path, NULL);
    expect_exit(pid, reap(pid), 0);
    double t1 = now_us();
    struct stat st;
    if (stat(path, &st) != 0 || st.st_size != size) {
        printf("W\tcaptured %ld bytes, expected %ld\n", (long) st.st_size, size);
    }
    unlink(path);
    return size / (double) (1 << 20) / ((t1 - t0) / 1e6);
}

static void capture_workload(void) {
    double *mbps = calloc(reps, sizeof *mbps);
    capture_once(bytes < (16L << 20) ? bytes : 16L << 20);
    for (long r = 0; r < reps; r++) {
        mbps[r] = capture_once(bytes);
    }
    result("capture", "throughput", "MBps", mbps, reps);
    result1("capture", "peak-rss", "kB", self_status("VmHWM"));
    free(mbps);
}

int main(int argc, char **argv) {
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--workload")) workload = v;
        else if (!strcmp(k, "--n")) n = atol(v);
        else if (!strcmp(k, "--reps")) reps = atol(v);
        else if (!strcmp(k, "--warmup")) warmup = atol(v);
        else if (!strcmp(k, "--bytes")) bytes = atol(v);
        else if (!strcmp(k, "--tmp")) tmp = v;
        else if (!strcmp(k, "--turn-in")) turn_in = v;
        else if (!strcmp(k, "--turn-out")) turn_out = v;
        else { fprintf(stderr, "peer-c: unknown option %s\n", k); return 2; }
    }
    mkdir(tmp, 0700);
    if (!strcmp(workload, "spawn")) spawn_workload();
    else if (!strcmp(workload, "fanout")) fanout_workload();
    else if (!strcmp(workload, "kill")) kill_workload();
    else if (!strcmp(workload, "poll")) poll_workload();
    else if (!strcmp(workload, "capture")) capture_workload();
    else { fprintf(stderr, "peer-c: unknown workload %s\n", workload); return 2; }
    return 0;
}

#!/usr/bin/env bash
# bash doing the benchmark suite's workloads, as a peer of procsh: fork+exec of external commands,
# `&` and `wait`, `kill`, and `> file`. Speaks the suite's line protocol (see ProcshBench.java):
#   R <tab> workload <tab> metric <tab> unit <tab> samples...   (times in us, memory in kB)
# Times come from $EPOCHREALTIME (bash 5+), read without forking. bash has no non-blocking
# "poll" of a child, so it sits out the poll workload.
set -u

workload=spawn n=1000 warmup=1000 reps=3 bytes=$((200 << 20)) tmp=/tmp turn_in="" turn_out=""
while (($#)); do
    case $1 in
        --workload) workload=$2 ;;
        --n) n=$2 ;;
        --reps) reps=$2 ;;
        --warmup) warmup=$2 ;;
        --bytes) bytes=$2 ;;
        --tmp) tmp=$2 ;;
        --turn-in) turn_in=$2 ;;
        --turn-out) turn_out=$2 ;;
        *) echo "peer.bash: unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done
mkdir -p "$tmp"
printf 'I\tversion\t%s\n' "$BASH_VERSION"

now() { t=${EPOCHREALTIME/./}; }   # microseconds since the epoch, into $t
min() { (($1 < $2)) && echo "$1" || echo "$2"; }

result() { # workload metric unit samples...
    local w=$1 m=$2 u=$3
    shift 3
    printf 'R\t%s\t%s\t%s\t%s\n' "$w" "$m" "$u" "$*"
}

status() { # field: its value from this shell's own /proc status (kB or a count), into $v
    local key rest
    v=-1
    while IFS=: read -r key rest; do
        if [[ $key == "$1" ]]; then
            read -r v _ <<<"$rest"
            return
        fi
    done </proc/$$/status
}

spawn_workload() {
    local i t0 samples=()
    for ((i = 0; i < warmup; i++)); do /bin/true </dev/null >/dev/null 2>&1; done
    for ((i = 0; i < n; i++)); do
        now; t0=$t
        /bin/true </dev/null >/dev/null 2>&1
        now; samples+=($((t - t0)))
    done
    result spawn per-process us "${samples[@]}"
    samples=()
    for ((i = 0; i < warmup; i++)); do /bin/true </dev/null >"$tmp/w$i.out" 2>"$tmp/w$i.err"; done
    for ((i = 0; i < n; i++)); do
        now; t0=$t
        /bin/true </dev/null >"$tmp/$i.out" 2>"$tmp/$i.err"
        now; samples+=($((t - t0)))
    done
    result spawn per-process-files us "${samples[@]}"
}

fanout_workload() {
    local i t0 t1 t2 pids=() threads rss key=fanout-$n
    for ((i = 0; i < warmup; i++)); do sleep 1000 </dev/null >/dev/null 2>&1 & pids+=($!); done
    kill -TERM "${pids[@]}"; wait
    pids=()
    now; t0=$t
    for ((i = 0; i < n; i++)); do sleep 1000 </dev/null >/dev/null 2>&1 & pids+=($!); done
    now; t1=$t
    status Threads; threads=$v
    status VmRSS; rss=$v
    now; t2=$t
    kill -TERM "${pids[@]}"
    wait
    now
    result "$key" start-all us $((t1 - t0))
    result "$key" stop-all us $((t - t2))
    result "$key" threads-live n "$threads"
    result "$key" peak-threads n "$threads"
    result "$key" rss-live kB "$rss"
    status VmHWM
    result "$key" peak-rss kB "$v"
}

# Turn-taking in a paired run (see Turns.java): FIFOs, opened read-write so no open waits.
turns_open() {
    [[ -n $turn_in ]] || return 0
    exec 4<>"$turn_in" 5<>"$turn_out"
}
turn_take() { [[ -z $turn_in ]] || read -r -N 1 -u 4 _; }
turn_give() { [[ -z $turn_in ]] || printf t >&5; }

kill_workload() {
    local i t0 pid samples=() code
    # bash reports each "Killed" job on its stderr; that write is not what is measured here.
    exec 3>&2 2>/dev/null
    turns_open
    for ((i = -warmup; i < n; i++)); do
        turn_take
        sleep 1000 </dev/null >/dev/null 2>&1 4<&- 5>&- &
        pid=$!
        sleep 0.005   # let it reach its sleep (outside the timed part)
        now; t0=$t
        kill -KILL "$pid"
        wait "$pid"
        code=$?
        now
        turn_give
        ((code == 137)) || printf 'W\tpid %s: expected status 137, saw %s\n' "$pid" "$code"
        ((i >= 0)) && samples+=($((t - t0)))
    done
    exec 2>&3 3>&-
    result kill kill-to-exit us "${samples[@]}"
}

capture_workload() {
    local r t0 samples=() size
    capture_once() { # size: times one `head -c size /dev/zero > file`, MB/s into $mbps
        local f=$tmp/capture.out
        now; t0=$t
        head -c "$1" /dev/zero >"$f"
        now
        size=$(stat -c %s "$f")
        ((size == $1)) || printf 'W\tcaptured %s bytes, expected %s\n' "$size" "$1"
        rm -f "$f"
        mbps=$(awk -v b="$1" -v us=$((t - t0)) 'BEGIN { printf "%.3f", b / 1048576 / (us / 1e6) }')
    }
    capture_once "$(min "$bytes" $((16 << 20)))"
    for ((r = 0; r < reps; r++)); do
        capture_once "$bytes"
        samples+=("$mbps")
    done
    result capture throughput MBps "${samples[@]}"
    status VmHWM
    result capture peak-rss kB "$v"
}

case $workload in
    spawn | fanout | kill | capture) "${workload}_workload" ;;
    poll) ;; # no equivalent in bash
    *) echo "peer.bash: unknown workload $workload" >&2; exit 2 ;;
esac

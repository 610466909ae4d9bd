package procsh.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import procsh.command.Shell;
import procsh.command.ShellSession;
import procsh.core.Job;
import procsh.core.OutputChannel;

/** The hostile children on the native backend (posix_spawn + pidfd + one epoll reaper), plus the output flood. */
class NativeHostileChildrenTest extends HostileChildrenContract {

    private static final long TWO_HUNDRED_MB = 200L << 20;

    @Override
    String backend() {
        return "native";
    }

    @Override
    int loadJobs() {
        return 2000;
    }

    @Test
    void twoHundredMegabytesAsFastAsPossibleLeaveProcshResponsiveAndTheHeapFlat() throws Exception {
        long heapBefore = usedHeapAfterGc();
        Shell shell = new Shell(ShellSession.plain(table));
        long t0 = System.nanoTime();
        Job job = spawn("sh", "-c", "yes 'procsh chaos flood 0123456789' | head -c " + TWO_HUNDRED_MB);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong slowest = new AtomicLong();
        AtomicLong commands = new AtomicLong();
        // While it writes: the commands a user would type, each timed.
        CompletableFuture<Void> user = CompletableFuture.runAsync(() -> {
            StringWriter sink = new StringWriter();
            PrintWriter w = new PrintWriter(sink);
            while (writing.get()) {
                for (String line : List.of("list", "info 1", "logs 1 -n 3", "poll 1")) {
                    long s = System.nanoTime();
                    try {
                        shell.run(line, w, w);
                    } catch (InterruptedException e) {
                        return;
                    }
                    slowest.accumulateAndGet((System.nanoTime() - s) / 1_000_000, Math::max);
                    commands.incrementAndGet();
                    sink.getBuffer().setLength(0);
                }
            }
        });
        try {
            assertThat(end(job).describe()).isEqualTo("exited 0");
        } finally {
            writing.set(false);
            user.get();
        }
        long ms = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
        assertThat(job.output().written(OutputChannel.STDOUT)).isEqualTo(TWO_HUNDRED_MB);
        // Past the 64 MB cap the log is rotated: at most two caps stay on disk, the newest output.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> job.output().kept(OutputChannel.STDOUT) <= 2 * procsh.core.JobOutput.DEFAULT_CAP);
        assertThat(job.output().size(OutputChannel.STDERR)).isZero();
        List<String> tail = job.output().tail(OutputChannel.STDOUT, 3);
        assertThat(tail).hasSize(3);
        assertThat(tail.get(0)).isEqualTo("procsh chaos flood 0123456789");
        assertThat("procsh chaos flood 0123456789").startsWith(tail.get(2));
        assertThat(slowest.get()).as("slowest command while the job wrote (ms)").isLessThan(5000);
        assertThat(usedHeapAfterGc() - heapBefore).as("heap growth in bytes").isLessThan(16L << 20);
        SUMMARY.add(String.format("native flood: 200 MiB in %d ms (%d MB/s), %d commands meanwhile, slowest %d ms", ms,
                TWO_HUNDRED_MB / 1000 / ms, commands.get(), slowest.get()));
        table.remove(job); // and its files
        assertNothingOfTheSessionAlive(List.of());
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}

package procsh.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native backend's waits on the reaper's exit set ({@link ExitEpoll}): one thread leads, the
 * reaper sleeps meanwhile, so whatever ends while a lead waits must still be reaped and reported,
 * and the reaper must take over again when the lead leaves however it leaves.
 */
class LeadWaiterTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Signal KILL = Signals.os().require("KILL");

    @TempDir
    Path dir;
    private final List<NativeProcess> started = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService waiters = Executors.newCachedThreadPool();
    /** The thread of the latest {@link #waitFor}, set before it waits. */
    private volatile Thread lastWaiter;

    @BeforeAll
    static void nativeBackendWorksHere() {
        assumeTrue(NativeBackend.probe() == null, "the native backend is not available here");
    }

    @AfterEach
    void killWhatIsLeft() throws Exception {
        for (NativeProcess process : started) {
            process.signal(KILL);
            assertThat(process.awaitExit(10 * SECOND)).isTrue();
        }
        // Every pidfd the reaper held for them is closed once it next wakes: none leaks, and the next test starts even.
        NativeBackend.get().reaperForTests().adoptNow();
        soon(Duration.ofSeconds(5)).until(() -> started.stream().allMatch(p -> p.reaperFd() < 0));
        waiters.shutdownNow();
        assertThat(waiters.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anotherJobsEndIsReportedWhileALeadWaits() throws Exception {
        NativeProcess awaited = adopted(start("sleep", "30"));
        NativeProcess other = adopted(start("sh", "-c", "read x; exit 3"));
        Future<Boolean> lead = lead(awaited, Long.MAX_VALUE);
        other.closeStdin();
        assertThat(other.onExit().get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(3));
        assertThat(lead).isNotDone();
        awaited.signal(KILL);
        assertThat(lead.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(awaited.onExit().getNow(null)).isEqualTo(ExitStatus.killed(9, false));
        assertGone(awaited, other);
    }

    @Test
    void manyEndsWhileALeadWaitsAreAllReapedAndTheirPidfdsClosed() throws Exception {
        NativeProcess awaited = adopted(start("sleep", "30"));
        long pidfdsBefore = reaperPidfds();
        List<NativeProcess> shortOnes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            shortOnes.add(start("sh", "-c", "read x; exit " + i));
        }
        shortOnes.forEach(this::adopted);
        Future<Boolean> lead = lead(awaited, Long.MAX_VALUE);
        shortOnes.forEach(NativeProcess::closeStdin);
        for (int i = 0; i < shortOnes.size(); i++) {
            assertThat(shortOnes.get(i).onExit().get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(i));
        }
        assertGone(shortOnes.toArray(NativeProcess[]::new));
        assertThat(lead).isNotDone();
        // The lead leaves their pidfds to the reaper, which closes them when it next wakes.
        awaited.reaperForTests().adoptNow();
        soon(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reaperPidfds()).isEqualTo(pidfdsBefore));
        awaited.signal(KILL);
        assertThat(lead.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLeadThatTimesOutHandsTheEndsBackToTheReaper() throws Exception {
        NativeProcess awaited = adopted(start("sleep", "30"));
        long before = System.nanoTime();
        assertThat(awaited.awaitExit(200_000_000L)).isFalse();
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(200_000_000L);
        assertNoLead();
        // Nobody waits now: the reaper alone must see the end.
        awaited.signal(KILL);
        assertThat(awaited.onExit().get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.killed(9, false));
        assertGone(awaited);
    }

    @Test
    void anInterruptedLeadHandsTheEndsBackToTheReaper() throws Exception {
        NativeProcess awaited = adopted(start("sleep", "30"));
        Future<Boolean> lead = lead(awaited, Long.MAX_VALUE);
        Thread leadThread = lastWaiter;
        awaitBlockedIn(leadThread, "epoll_wait");
        leadThread.interrupt();
        soon(Duration.ofSeconds(2)).until(lead::isDone);
        assertNoLead();
        awaited.signal(KILL);
        assertThat(awaited.onExit().get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.killed(9, false));
    }

    @Test
    void anInterruptedWaiterOnItsOwnPidfdReturnsAndTheJobIsStillSeenToEnd() throws Exception {
        NativeProcess awaited = adopted(start("sleep", "30"));
        Future<Boolean> lead = lead(awaited, Long.MAX_VALUE);
        Future<Boolean> second = ownPidfdWaiter(awaited, Long.MAX_VALUE); // it looks at its interrupt flag every 50 ms
        awaitBlockedIn(lastWaiter, "poll");
        lastWaiter.interrupt();
        soon(Duration.ofSeconds(2)).until(second::isDone);
        assertThat(awaited.directWaitersForTests()).isZero();
        assertThat(lead).isNotDone();
        killAndAwait(awaited, lead);
    }

    @Test
    void twoWaitersForOneJobBothReturn() throws Exception {
        NativeProcess awaited = adopted(start("sleep", "30"));
        Future<Boolean> lead = lead(awaited, Long.MAX_VALUE);
        // A second waiter on the same job waits on a pidfd of its own; either may reap it first.
        Future<Boolean> second = ownPidfdWaiter(awaited, Long.MAX_VALUE);
        awaited.signal(KILL);
        assertThat(second.get(2, TimeUnit.SECONDS)).isTrue();
        assertThat(lead.get(2, TimeUnit.SECONDS)).isTrue();
        assertThat(awaited.onExit().get(2, TimeUnit.SECONDS)).isEqualTo(ExitStatus.killed(9, false));
        assertNoLead();
    }

    @Test
    void anEndTheLeadIsNotGivenStillWakesIt() throws Exception {
        NativeProcess awaited = adopted(start("sleep", "30"));
        Future<Boolean> lead = lead(awaited, Long.MAX_VALUE); // no timeout: only a kick can wake it
        // A second waiter makes the reaper give up its pidfd: the lead is then never given this end.
        Future<Boolean> second = ownPidfdWaiter(awaited, Long.MAX_VALUE);
        awaited.reaperForTests().adoptNow();
        soon(Duration.ofSeconds(5)).until(() -> awaited.reaperFd() < 0);
        awaited.signal(KILL);
        assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(lead.get(5, TimeUnit.SECONDS)).isTrue();
        assertNoLead();
    }

    @Test
    void aKickWithoutItsEndKeepsTheLeadWaiting() throws Exception {
        NativeProcess awaited = adopted(start("sleep", "30"));
        Future<Boolean> lead = lead(awaited, Long.MAX_VALUE);
        Thread leadThread = lastWaiter;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuBefore = threads.getThreadCpuTime(leadThread.getId());
        awaited.reaperForTests().exits().reaped(awaited); // a kick, as if another thread had reaped it
        Thread.sleep(200); // long enough to see a wrong return or a spin; nothing to wait for otherwise
        assertThat(lead).isNotDone();
        assertThat(threads.getThreadCpuTime(leadThread.getId()) - cpuBefore).as("lead's CPU ns after a kick").isLessThan(20_000_000L);
        killAndAwait(awaited, lead);
    }

    @Test
    void twoThreadsWaitingForTwoJobsEachReturnWhenTheirsEnds() throws Exception {
        NativeProcess first = adopted(start("sleep", "30"));
        NativeProcess second = adopted(start("sleep", "30"));
        Future<Boolean> firstWait = lead(first, Long.MAX_VALUE);
        Future<Boolean> secondWait = ownPidfdWaiter(second, Long.MAX_VALUE);
        second.signal(KILL);
        assertThat(secondWait.get(2, TimeUnit.SECONDS)).isTrue();
        assertThat(firstWait).isNotDone();
        first.signal(KILL);
        assertThat(firstWait.get(2, TimeUnit.SECONDS)).isTrue();
        assertGone(first, second);
    }

    @Test
    void manyThreadsWaitingWhileUnwaitedJobsEndAllSeeTheRightEnds() throws Exception {
        long pidfdsBefore = reaperPidfds();
        List<NativeProcess> unwaited = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            unwaited.add(start("sh", "-c", "sleep 0.0" + i % 10 + "; exit " + i));
        }
        List<Future<List<NativeProcess>>> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int thread = t;
            threads.add(waiters.submit(() -> {
                List<NativeProcess> mine = new ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    NativeProcess process = start("sh", "-c", "sleep 0.00" + i % 10 + "; exit " + (thread * 20 + i));
                    if (i % 2 == 0) {
                        adopted(process); // so that this thread may lead; the others wait on a pidfd of their own
                    }
                    assertThat(process.awaitExit(Long.MAX_VALUE)).isTrue();
                    assertThat(process.onExit().get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(thread * 20 + i));
                    mine.add(process);
                }
                return mine;
            }));
        }
        List<NativeProcess> waited = new ArrayList<>();
        for (Future<List<NativeProcess>> thread : threads) {
            waited.addAll(thread.get(60, TimeUnit.SECONDS));
        }
        for (int i = 0; i < unwaited.size(); i++) {
            assertThat(unwaited.get(i).onExit().get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(i));
        }
        assertGone(waited.toArray(NativeProcess[]::new));
        assertGone(unwaited.toArray(NativeProcess[]::new));
        assertNoLead();
        NativeBackend.get().reaperForTests().adoptNow();
        soon(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reaperPidfds()).isEqualTo(pidfdsBefore));
    }

    /** Kills the process: the wait returns, and the end reads as SIGKILL. */
    private static void killAndAwait(NativeProcess process, Future<Boolean> wait) throws Exception {
        process.signal(KILL);
        assertThat(wait.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(process.onExit().get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.killed(9, false));
    }

    private NativeProcess start(String... argv) throws Exception {
        Path program = Executables.resolve(argv[0], dir, "/usr/bin:/bin");
        Path out = Files.createTempFile(dir, "out", ".log");
        SpawnPlan plan = new SpawnPlan(program, List.of(argv), dir, Environment.of(Map.of("PATH", "/usr/bin:/bin")),
                true, out, out);
        NativeProcess process = (NativeProcess) NativeBackend.get().start(plan);
        started.add(process);
        return process;
    }

    /** Until the reaper has adopted it (only then can a waiter lead), or it has ended and been reaped already. */
    private NativeProcess adopted(NativeProcess process) {
        process.watchNow();
        soon(Duration.ofSeconds(5)).until(() -> process.reaperFd() >= 0 || process.reaped());
        return process;
    }

    private Future<Boolean> waitFor(NativeProcess process, long nanos) {
        return waiters.submit(() -> {
            lastWaiter = Thread.currentThread();
            return process.awaitExit(nanos);
        });
    }

    /** A thread that waits for the process as the lead. */
    private Future<Boolean> lead(NativeProcess process, long nanos) {
        Future<Boolean> wait = waitFor(process, nanos);
        awaitLead(process);
        return wait;
    }

    /** A thread that waits for the process on a pidfd of its own, since another leads. */
    private Future<Boolean> ownPidfdWaiter(NativeProcess process, long nanos) {
        Future<Boolean> wait = waitFor(process, nanos);
        soon(Duration.ofSeconds(5)).until(() -> process.directWaitersForTests() == 1);
        return wait;
    }

    private static void awaitLead(NativeProcess process) {
        soon(Duration.ofSeconds(5)).until(() -> process.reaperForTests().exits().leadForTests() == process);
    }

    private static void assertNoLead() {
        soon(Duration.ofSeconds(2)).until(() -> NativeBackend.get().reaperForTests().exits().leadForTests() == null);
    }

    /** Until the thread is inside the native call, where only a wake-up reaches it, not a look at its interrupt flag. */
    private static void awaitBlockedIn(Thread thread, String call) {
        soon(Duration.ofSeconds(5)).until(() -> {
            StackTraceElement[] stack = thread.getStackTrace();
            return stack.length > 0 && stack[0].getMethodName().equals(call);
        });
    }

    /** Polled often: most of these conditions hold within milliseconds. */
    private static org.awaitility.core.ConditionFactory soon(Duration limit) {
        return org.awaitility.Awaitility.await().atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /** Reaped: no zombie left behind. */
    private static void assertGone(NativeProcess... processes) {
        for (NativeProcess process : processes) {
            soon(Duration.ofSeconds(5)).until(() -> !Files.exists(Path.of("/proc/" + process.pid())));
        }
    }

    /** The pidfds in the reaper thread's own descriptor table. */
    private static long reaperPidfds() throws IOException {
        Path task;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            task = tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals("procsh-reaper");
                } catch (IOException gone) {
                    return false;
                }
            }).findFirst().orElseThrow();
        }
        try (Stream<Path> fds = Files.list(task.resolve("fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("anon_inode:[pidfd]");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }
}

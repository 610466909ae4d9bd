package procsh.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Follows the output of several jobs at once, as {@code tail -f} of many files: one thread, one
 * pass over every stream each poll, each complete line handed on with its job and stream. Jobs
 * that join the followed set later (a {@code --all} follow while new jobs start) are picked up
 * from their first line. Memory stays at one chunk plus one partial line per stream.
 */
public final class LogFollower {

    /** Where lines go. */
    @FunctionalInterface
    public interface Sink {
        void line(Job job, OutputChannel channel, String line);
    }

    private static final long POLL_MS = 50;

    private final Supplier<List<Job>> jobs;
    /** The one output followed when there is no job to name (a job's own follow). */
    private final JobOutput single;
    private final Set<OutputChannel> channels;
    private final List<Followed> followed = new ArrayList<>();
    private final Set<Integer> known = new HashSet<>();

    /** One stream of one job, and how far it has been read. */
    private static final class Followed {
        final Job job;
        final JobOutput output;
        final OutputChannel channel;
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        long offset;

        Followed(Job job, JobOutput output, OutputChannel channel, long offset) {
            this.job = job;
            this.output = output;
            this.channel = channel;
            this.offset = offset;
        }
    }

    /** Follows whatever jobs {@code jobs} names at each poll. */
    public LogFollower(Supplier<List<Job>> jobs, Set<OutputChannel> channels) {
        this.jobs = jobs;
        this.single = null;
        this.channels = Set.copyOf(channels);
    }

    private LogFollower(JobOutput single, Set<OutputChannel> channels) {
        this.jobs = List::of;
        this.single = single;
        this.channels = Set.copyOf(channels);
    }

    /** Follows one output; the sink is given no job. */
    static LogFollower of(JobOutput output, Set<OutputChannel> channels) {
        return new LogFollower(output, channels);
    }

    /**
     * Hands over the last {@code tail} lines of each stream the jobs have now (job by job; a negative
     * {@code tail}: everything kept, for jobs just started), then every new line, until {@code done} is true (checked before a final read) or the thread is interrupted.
     */
    public void run(int tail, Sink sink, BooleanSupplier done) throws InterruptedException {
        try {
            follow(tail, sink, done);
        } finally {
            followed.forEach(f -> f.output.followerAt(f.channel, f, -1));
        }
    }

    private void follow(int tail, Sink sink, BooleanSupplier done) throws InterruptedException {
        join(tail, sink);
        while (true) {
            boolean finished = done.getAsBoolean();
            join(0, sink); // streams read from their start: a job that appears now has written nothing we showed
            for (Followed f : followed) {
                f.offset = f.output.readNew(f.channel, f.offset, f.partial, line -> sink.line(f.job, f.channel, line));
                f.output.followerAt(f.channel, f, f.offset);
            }
            if (finished) {
                for (Followed f : followed) {
                    if (f.partial.size() > 0) {
                        sink.line(f.job, f.channel, f.partial.toString(StandardCharsets.UTF_8));
                    }
                }
                return;
            }
            Thread.sleep(POLL_MS);
        }
    }

    private void join(int tail, Sink sink) {
        boolean first = followed.isEmpty() && known.isEmpty();
        if (first && single != null) {
            known.add(0);
            start(null, single, true, tail, sink);
        }
        for (Job job : jobs.get()) {
            if (known.add(job.id())) {
                start(job, job.output(), first, tail, sink);
            }
        }
    }

    /** Starts following a job's streams: after their tail at the start, from their first kept byte later. */
    private void start(Job job, JobOutput output, boolean atStart, int tail, Sink sink) {
        for (OutputChannel c : OutputChannel.values()) {
            if (!channels.contains(c)) {
                continue;
            }
            long from;
            if (atStart && tail >= 0) {
                JobOutput.Tail t = output.tailFrom(c, tail);
                t.lines().forEach(line -> sink.line(job, c, line));
                from = t.end();
            } else {
                from = output.start(c);
            }
            Followed f = new Followed(job, output, c, from);
            output.followerAt(c, f, from);
            followed.add(f);
        }
    }

}

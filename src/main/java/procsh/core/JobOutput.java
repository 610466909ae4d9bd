package procsh.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A job's stdout and stderr, each in its own file with a size cap and one rotated file before it
 * ({@link LogStream}); read from the end or followed, never held whole in memory.
 */
public final class JobOutput {

    /** The cap on each stream's live file unless a spawn says otherwise; one rotated file is kept beside it. */
    public static final long DEFAULT_CAP = 64L << 20;
    /** Longest stretch read backwards for a tail: a file without newlines is not read whole. */
    private static final int TAIL_SCAN_LIMIT = 4 << 20;
    /** The most {@link #text} hands out: past it a script is told to tail or stream instead. */
    static final long TEXT_LIMIT = 16L << 20;
    /** A line longer than this is handed out in pieces while following. */
    static final int MAX_LINE = 64 << 10;
    private static final long FOLLOW_POLL_MS = 50;

    private final Map<OutputChannel, LogStream> streams = new EnumMap<>(OutputChannel.class);

    JobOutput(Path stdout, Path stderr, long cap) {
        streams.put(OutputChannel.STDOUT, new LogStream(stdout, cap));
        streams.put(OutputChannel.STDERR, new LogStream(stderr, cap));
    }

    /** The live file the job writes to. */
    public Path file(OutputChannel channel) {
        return streams.get(channel).live();
    }

    /** The one rotated file kept before the live one (it may not exist yet). */
    public Path rotatedFile(OutputChannel channel) {
        return streams.get(channel).rotated();
    }

    /** The bytes the live file holds. */
    public long size(OutputChannel channel) {
        return streams.get(channel).liveBytes();
    }

    /** Every byte the job has written to the stream, kept or not. */
    public long written(OutputChannel channel) {
        return streams.get(channel).end();
    }

    /** Bytes of the stream no longer kept: older than the rotated file. */
    public long dropped(OutputChannel channel) {
        return streams.get(channel).dropped();
    }

    /** Bytes kept on disk for the stream (rotated and live file). */
    public long kept(OutputChannel channel) {
        return streams.get(channel).kept();
    }

    public int rotations(OutputChannel channel) {
        return streams.get(channel).rotations();
    }

    /** The cap on each stream's live file in bytes (0: none). */
    public long cap() {
        return streams.get(OutputChannel.STDOUT).cap();
    }

    /** Why the cap cannot be kept (the file system cannot cut a file in place), or null. */
    public String capProblem() {
        String out = streams.get(OutputChannel.STDOUT).capProblem();
        return out != null ? out : streams.get(OutputChannel.STDERR).capProblem();
    }

    /** Rotates each stream that is over the cap; called by the table while the job runs and once at its end. */
    void rotateIfOver() {
        for (LogStream s : streams.values()) {
            try {
                s.rotateIfOver();
            } catch (IOException e) {
                // Tried again on the next check; the job's writing is never affected.
            }
        }
    }

    /** Deletes the job's log files (rm, clean). */
    void delete() {
        for (LogStream s : streams.values()) {
            try {
                s.delete();
            } catch (IOException ignored) {
                // A file left behind is shown by nothing and harms nothing.
            }
        }
    }

    /** The whole kept stream as text, for scripts; a stream past {@value #TEXT_LIMIT} bytes is refused with what to use instead. */
    public String text(OutputChannel channel) {
        LogStream s = streams.get(channel);
        try (LogStream.Reader r = s.reader()) {
            long start = r.start();
            long length = r.end() - start;
            if (length > TEXT_LIMIT) {
                throw new ProcshException(channel.label() + " holds " + (length >> 20) + " MB"
                        + ", too much to read whole: use tail(n) for its last lines, or eachLine { } to stream it");
            }
            byte[] bytes = new byte[(int) length];
            r.readFully(start, bytes, 0, bytes.length);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProcshException("cannot read " + s.live() + ": " + e.getMessage(), e);
        }
    }

    /** Every kept line of a stream in turn, read in chunks: any size of log. */
    public void eachLine(OutputChannel channel, Consumer<String> sink) {
        LogStream s = streams.get(channel);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (LogStream.Reader r = s.reader()) {
            scan(r, r.start(), r.end(), line, l -> sink.accept(l));
        } catch (IOException e) {
            throw new ProcshException("cannot read " + s.live() + ": " + e.getMessage(), e);
        }
        if (line.size() > 0) {
            sink.accept(line.toString(StandardCharsets.UTF_8));
        }
    }

    /** The last {@code n} lines of a stream (fewer if it has fewer), across the rotated file too. */
    public List<String> tail(OutputChannel channel, int n) {
        try (LogStream.Reader r = streams.get(channel).reader()) {
            return tail(r, n, r.end());
        }
    }

    private static List<String> tail(LogStream.Reader file, int n, long end) {
        byte[] bytes = tailBytes(file, n, end);
        if (bytes.length == 0) {
            return List.of();
        }
        // A final newline ends the last line; it does not start an empty one.
        int length = bytes[bytes.length - 1] == '\n' ? bytes.length - 1 : bytes.length;
        return List.of(new String(bytes, 0, length, StandardCharsets.UTF_8).split("\n", -1));
    }

    /** The last {@code n} lines of a stream as the job wrote them, byte for byte (its final newline included). */
    public byte[] tailBytes(OutputChannel channel, int n) {
        try (LogStream.Reader r = streams.get(channel).reader()) {
            return tailBytes(r, n, r.end());
        }
    }

    private static byte[] tailBytes(LogStream.Reader file, int n, long end) {
        long first = file.start();
        if (n <= 0 || end <= first) {
            return new byte[0];
        }
        try {
            byte[] one = new byte[1];
            file.readFully(end - 1, one, 0, 1);
            long scanEnd = one[0] == '\n' ? end - 1 : end;
            long start = first;
            long pos = scanEnd;
            int newlines = 0;
            byte[] chunk = new byte[64 << 10];
            search:
            while (pos > first && scanEnd - pos < TAIL_SCAN_LIMIT) {
                int len = (int) Math.min(chunk.length, pos - first);
                pos -= len;
                file.readFully(pos, chunk, 0, len);
                for (int i = len - 1; i >= 0; i--) {
                    if (chunk[i] == '\n' && ++newlines == n) {
                        start = pos + i + 1;
                        break search;
                    }
                }
                start = pos;
            }
            byte[] bytes = new byte[(int) (end - start)];
            file.readFully(start, bytes, 0, bytes.length);
            return bytes;
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /**
     * As {@link #follow}, but the bytes exactly as written, in whatever pieces they arrive: for a
     * reader that must see the job's own escape sequences and encoding ({@code logs --raw -f}).
     */
    public void followBytes(Set<OutputChannel> channels, int n, BiConsumer<OutputChannel, byte[]> sink, BooleanSupplier done)
            throws InterruptedException {
        Map<OutputChannel, Long> offsets = new EnumMap<>(OutputChannel.class);
        for (OutputChannel c : channels) {
            try (LogStream.Reader r = streams.get(c).reader()) {
                long end = r.end();
                byte[] tail = tailBytes(r, n, end);
                if (tail.length > 0) {
                    sink.accept(c, tail);
                }
                offsets.put(c, end);
            }
        }
        while (true) {
            boolean finished = done.getAsBoolean();
            for (OutputChannel c : channels) {
                offsets.put(c, copyFrom(c, offsets.get(c), sink));
            }
            if (finished) {
                return;
            }
            Thread.sleep(FOLLOW_POLL_MS);
        }
    }

    /** Hands on, in pieces of at most 64 KB, what the stream holds from logical {@code offset} on; returns where it stopped. */
    private long copyFrom(OutputChannel c, long offset, BiConsumer<OutputChannel, byte[]> sink) {
        try (LogStream.Reader r = streams.get(c).reader()) {
            long pos = Math.max(offset, r.start());
            long end = r.end();
            while (pos < end) {
                byte[] chunk = new byte[(int) Math.min(64 << 10, end - pos)];
                int len = r.read(pos, chunk, 0, chunk.length);
                if (len <= 0) {
                    break;
                }
                sink.accept(c, len == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, len));
                pos += len;
            }
            return pos;
        } catch (IOException e) {
            return offset;
        }
    }

    /**
     * Up to {@code max} bytes of the stream from logical {@code offset} on, and the offset they start
     * at: later than asked when the bytes asked for were dropped (rotated out). Read and returned, so
     * the caller sends them holding no lock of the stream's.
     */
    public Chunk read(OutputChannel c, long offset, int max) {
        try (LogStream.Reader r = streams.get(c).reader()) {
            long at = Math.max(offset, r.start());
            byte[] bytes = new byte[(int) Math.max(0, Math.min(max, r.end() - at))];
            int len = bytes.length == 0 ? 0 : r.read(at, bytes, 0, bytes.length);
            return new Chunk(at, len == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, Math.max(0, len)));
        } catch (IOException e) {
            return new Chunk(offset, new byte[0]);
        }
    }

    /** Bytes of a stream and the logical offset of the first. */
    public record Chunk(long at, byte[] bytes) {
    }

    /** The last lines of a stream and the logical offset just past them, where following goes on. */
    public record Tail(List<String> lines, long end) {
    }

    Tail tailFrom(OutputChannel channel, int n) {
        try (LogStream.Reader r = streams.get(channel).reader()) {
            long end = r.end();
            return new Tail(tail(r, n, end), end);
        }
    }

    /** Logical offset of the oldest byte kept. */
    long start(OutputChannel channel) {
        return streams.get(channel).start();
    }

    /**
     * Hands the last {@code n} lines of the chosen streams to the sink, then every new line as it
     * arrives, until {@code done} says so (checked before a final read) or the thread is interrupted.
     * Offsets are logical, so a rotation meanwhile loses nothing.
     */
    public void follow(Set<OutputChannel> channels, int n, BiConsumer<OutputChannel, String> sink, BooleanSupplier done)
            throws InterruptedException {
        LogFollower.of(this, channels).run(n, (job, c, line) -> sink.accept(c, line), done);
    }

    /** Tells the stream how far a follower has read (see {@link LogStream#followerAt}); {@code -1}: it is gone. */
    public void followerAt(OutputChannel c, Object follower, long position) {
        if (position < 0) {
            streams.get(c).followerGone(follower);
        } else {
            streams.get(c).followerAt(follower, position);
        }
    }

    /** Reads what was written since {@code offset}, handing on each complete line; returns the new offset. */
    long readNew(OutputChannel c, long offset, ByteArrayOutputStream line, Consumer<String> sink) {
        try (LogStream.Reader r = streams.get(c).reader()) {
            // A follower that fell behind more than the kept output resumes at the oldest byte kept.
            long from = Math.max(offset, r.start());
            return scan(r, from, r.end(), line, sink);
        } catch (IOException e) {
            return offset;
        }
    }

    /** Reads [from, to), handing each complete line (or a piece of {@link #MAX_LINE}) to the sink; returns where it stopped. */
    private static long scan(LogStream.Reader r, long from, long to, ByteArrayOutputStream line, Consumer<String> sink)
            throws IOException {
        byte[] chunk = new byte[64 << 10];
        long pos = from;
        while (pos < to) {
            int len = r.read(pos, chunk, 0, (int) Math.min(chunk.length, to - pos));
            if (len <= 0) {
                break;
            }
            pos += len;
            int lineStart = 0;
            for (int i = 0; i < len; i++) {
                if (chunk[i] == '\n') {
                    line.write(chunk, lineStart, i - lineStart);
                    sink.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    lineStart = i + 1;
                } else if (line.size() + (i - lineStart + 1) >= MAX_LINE) {
                    line.write(chunk, lineStart, i - lineStart + 1);
                    sink.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    lineStart = i + 1;
                }
            }
            line.write(chunk, lineStart, len - lineStart);
        }
        return pos;
    }

    /** Every stream's live size, for info and list. */
    public Map<OutputChannel, Long> sizes() {
        Map<OutputChannel, Long> sizes = new EnumMap<>(OutputChannel.class);
        for (OutputChannel c : OutputChannel.values()) {
            sizes.put(c, size(c));
        }
        return Collections.unmodifiableMap(sizes);
    }

    /** Lines of a whole kept stream, for scripts; refused past {@value #TEXT_LIMIT} bytes as {@link #text} is. */
    public List<String> lines(OutputChannel channel) {
        String text = text(channel);
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}

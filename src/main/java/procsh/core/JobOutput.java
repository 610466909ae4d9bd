package procsh.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * A job's stdout and stderr, each in its own file; read from the end or followed, never held
 * whole in memory.
 */
public final class JobOutput {

    /** Longest stretch read backwards for a tail: a file without newlines is not read whole. */
    private static final int TAIL_SCAN_LIMIT = 4 << 20;
    /** A line longer than this is handed out in pieces while following. */
    static final int MAX_LINE = 64 << 10;
    private static final long FOLLOW_POLL_MS = 50;

    private final Map<OutputChannel, Path> files = new EnumMap<>(OutputChannel.class);

    JobOutput(Path stdout, Path stderr) {
        files.put(OutputChannel.STDOUT, stdout);
        files.put(OutputChannel.STDERR, stderr);
    }

    public Path file(OutputChannel channel) {
        return files.get(channel);
    }

    public long size(OutputChannel channel) {
        try {
            return Files.size(files.get(channel));
        } catch (IOException gone) {
            return 0;
        }
    }

    /** The whole stream as text; for scripts that know their output is small. */
    public String text(OutputChannel channel) {
        try {
            return Files.readString(files.get(channel), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProcshException("cannot read " + files.get(channel) + ": " + e.getMessage(), e);
        }
    }

    /** The last {@code n} lines of a stream (fewer if it has fewer). */
    public List<String> tail(OutputChannel channel, int n) {
        return tail(channel, n, size(channel));
    }

    List<String> tail(OutputChannel channel, int n, long end) {
        if (n <= 0 || end <= 0) {
            return List.of();
        }
        byte[] bytes = tailBytes(channel, n, end);
        // A final newline ends the last line; it does not start an empty one.
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\n' ? bytes.length - 1 : bytes.length;
        if (bytes.length == 0) {
            return List.of();
        }
        return List.of(new String(bytes, 0, length, StandardCharsets.UTF_8).split("\n", -1));
    }

    /** The last {@code n} lines of a stream as the job wrote them, byte for byte (its final newline included). */
    public byte[] tailBytes(OutputChannel channel, int n) {
        return tailBytes(channel, n, size(channel));
    }

    private byte[] tailBytes(OutputChannel channel, int n, long end) {
        if (n <= 0 || end <= 0) {
            return new byte[0];
        }
        try (RandomAccessFile file = new RandomAccessFile(files.get(channel).toFile(), "r")) {
            int newlines = 0;
            byte[] chunk = new byte[64 << 10];
            file.seek(end - 1);
            boolean trailingNewline = file.read() == '\n';
            long scanEnd = trailingNewline ? end - 1 : end;
            long start = 0;
            long pos = scanEnd;
            search:
            while (pos > 0 && scanEnd - pos < TAIL_SCAN_LIMIT) {
                int len = (int) Math.min(chunk.length, pos);
                pos -= len;
                file.seek(pos);
                file.readFully(chunk, 0, len);
                for (int i = len - 1; i >= 0; i--) {
                    if (chunk[i] == '\n' && ++newlines == n) {
                        start = pos + i + 1;
                        break search;
                    }
                }
                start = pos;
            }
            byte[] bytes = new byte[(int) (end - start)];
            file.seek(start);
            file.readFully(bytes);
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
            long end = size(c);
            byte[] tail = tailBytes(c, n, end);
            if (tail.length > 0) {
                sink.accept(c, tail);
            }
            offsets.put(c, end);
        }
        while (true) {
            boolean finished = done.getAsBoolean();
            for (OutputChannel c : channels) {
                offsets.put(c, copyNew(c, offsets.get(c), sink));
            }
            if (finished) {
                return;
            }
            Thread.sleep(FOLLOW_POLL_MS);
        }
    }

    private long copyNew(OutputChannel c, long offset, BiConsumer<OutputChannel, byte[]> sink) {
        long size = size(c);
        if (size <= offset) {
            return offset;
        }
        try (RandomAccessFile file = new RandomAccessFile(files.get(c).toFile(), "r")) {
            file.seek(offset);
            long pos = offset;
            while (pos < size) {
                byte[] chunk = new byte[(int) Math.min(64 << 10, size - pos)];
                int len = file.read(chunk);
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
     * Prints the last {@code n} lines of the chosen streams, then every new line as it arrives,
     * until {@code done} says so (checked after a final read) or the thread is interrupted.
     */
    public void follow(Set<OutputChannel> channels, int n, BiConsumer<OutputChannel, String> sink, BooleanSupplier done)
            throws InterruptedException {
        Map<OutputChannel, Long> offsets = new EnumMap<>(OutputChannel.class);
        Map<OutputChannel, ByteArrayOutputStream> partial = new EnumMap<>(OutputChannel.class);
        for (OutputChannel c : channels) {
            long end = size(c);
            tail(c, n, end).forEach(line -> sink.accept(c, line));
            offsets.put(c, end);
            partial.put(c, new ByteArrayOutputStream());
        }
        while (true) {
            boolean finished = done.getAsBoolean();
            for (OutputChannel c : channels) {
                offsets.put(c, readNew(c, offsets.get(c), partial.get(c), sink));
            }
            if (finished) {
                for (OutputChannel c : channels) {
                    if (partial.get(c).size() > 0) {
                        sink.accept(c, partial.get(c).toString(StandardCharsets.UTF_8));
                    }
                }
                return;
            }
            Thread.sleep(FOLLOW_POLL_MS);
        }
    }

    private long readNew(OutputChannel c, long offset, ByteArrayOutputStream line, BiConsumer<OutputChannel, String> sink) {
        long size = size(c);
        if (size <= offset) {
            return offset;
        }
        try (RandomAccessFile file = new RandomAccessFile(files.get(c).toFile(), "r")) {
            file.seek(offset);
            byte[] chunk = new byte[64 << 10];
            long pos = offset;
            while (pos < size) {
                int len = file.read(chunk, 0, (int) Math.min(chunk.length, size - pos));
                if (len <= 0) {
                    break;
                }
                pos += len;
                for (int i = 0; i < len; i++) {
                    if (chunk[i] == '\n') {
                        sink.accept(c, line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(chunk[i]);
                        if (line.size() >= MAX_LINE) {
                            sink.accept(c, line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        }
                    }
                }
            }
            return pos;
        } catch (IOException e) {
            return offset;
        }
    }

    /** Every stream's size, for info and list. */
    public Map<OutputChannel, Long> sizes() {
        Map<OutputChannel, Long> sizes = new EnumMap<>(OutputChannel.class);
        for (OutputChannel c : OutputChannel.values()) {
            sizes.put(c, size(c));
        }
        return Collections.unmodifiableMap(sizes);
    }

    /** Lines of a whole stream, for scripts; a stream of many megabytes is better read with tail. */
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

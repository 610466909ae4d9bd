package procsh.core;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import procsh.os.FileSpace;

/**
 * One output stream of a job, as a run of bytes with stable offsets counted from the job's first
 * byte ("logical" offsets), kept in two files: the live file the job appends to, and the one
 * rotated file before it. When the live file passes the cap, its whole blocks move to the rotated
 * file (replacing the older one, and keeping at most the cap's worth: older bytes are dropped for
 * good) and are cut from the live file's front in place ({@link FileSpace#collapseFront}), so the job keeps appending and no byte it
 * writes is lost to a rotation. Offsets a reader holds stay valid across rotations.
 */
final class LogStream {

    /** How much a rotation keeps for a follower that has fallen behind, at least. */
    private static final long MAX_UNREAD = 64L << 20;

    private final Path live;
    private final Path rotated;
    private final long cap;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Logical offset of the live file's first byte. */
    private volatile long liveStart;
    /**
     * Bytes at the live file's front that are a hole: where the file system cannot cut a file's front
     * (tmpfs), the rotated bytes are punched out instead (their space freed, the offsets kept).
     */
    private volatile long liveHole;
    private volatile boolean punching;
    /** Logical offset of the rotated file's first byte: everything before it was dropped. */
    private volatile long rotatedStart;
    private volatile long rotatedSize;
    private volatile int rotations;
    /** Where each follower has read to (logical): a rotation keeps what they have not read yet. */
    private final java.util.Map<Object, Long> followers = new java.util.concurrent.ConcurrentHashMap<>();
    /** Why the cap cannot be kept here (file system), once a rotation has found out; null while it can. */
    private volatile String capProblem;

    LogStream(Path live, long cap) {
        this.live = live;
        this.rotated = live.resolveSibling(live.getFileName() + ".1");
        this.cap = cap;
    }

    Path live() {
        return live;
    }

    Path rotated() {
        return rotated;
    }

    long cap() {
        return cap;
    }

    int rotations() {
        return rotations;
    }

    String capProblem() {
        return capProblem;
    }

    long liveSize() {
        try {
            return Files.size(live);
        } catch (IOException gone) {
            return 0;
        }
    }

    /** Logical offset just past the last byte written so far. */
    long end() {
        lock.readLock().lock();
        try {
            return liveStart + liveSize();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Logical offset of the oldest byte still kept. */
    long start() {
        return rotations > 0 ? rotatedStart : liveStart + liveHole;
    }

    /** The bytes the live file holds (a punched front is no longer held). */
    long liveBytes() {
        return Math.max(0, liveSize() - liveHole);
    }

    /** Bytes of this stream no longer kept (older than the rotated file). */
    long dropped() {
        return rotations > 0 ? rotatedStart : 0;
    }

    /** Bytes kept on disk: the rotated file and the live one. */
    long kept() {
        return (rotations > 0 ? rotatedSize : 0) + liveBytes();
    }

    /** Records how far a follower has read, so a rotation does not drop what it has yet to read. */
    void followerAt(Object follower, long position) {
        followers.put(follower, position);
    }

    void followerGone(Object follower) {
        followers.remove(follower);
    }

    /** A reader of logical offsets that sees one consistent state: no rotation happens while it is open. */
    Reader reader() {
        lock.readLock().lock();
        return new Reader();
    }

    final class Reader implements AutoCloseable {
        private RandomAccessFile liveFile;
        private RandomAccessFile rotatedFile;

        long start() {
            return LogStream.this.start();
        }

        long end() {
            return liveStart + liveSize();
        }

        /** Reads up to {@code len} bytes at a logical offset (at or after {@link #start()}); -1 at the end. */
        int read(long position, byte[] buffer, int offset, int len) throws IOException {
            if (position >= liveStart + liveHole) {
                if (liveFile == null) {
                    liveFile = new RandomAccessFile(live.toFile(), "r");
                }
                liveFile.seek(position - liveStart);
                return liveFile.read(buffer, offset, len);
            }
            if (rotations == 0 || position < rotatedStart) {
                throw new IOException("offset " + position + " is no longer kept");
            }
            if (rotatedFile == null) {
                rotatedFile = new RandomAccessFile(rotated.toFile(), "r");
            }
            rotatedFile.seek(position - rotatedStart);
            return rotatedFile.read(buffer, offset, (int) Math.min(len, liveStart + liveHole - position));
        }

        void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
            while (len > 0) {
                int n = read(position, buffer, offset, len);
                if (n <= 0) {
                    throw new IOException("log ended early at " + position);
                }
                position += n;
                offset += n;
                len -= n;
            }
        }

        @Override
        public void close() {
            try {
                if (liveFile != null) {
                    liveFile.close();
                }
                if (rotatedFile != null) {
                    rotatedFile.close();
                }
            } catch (IOException ignored) {
                // Read-only files.
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    /**
     * Rotates when the live file is over the cap; true when it did. Readers wait meanwhile, so an
     * offset never points into a file being cut.
     */
    boolean rotateIfOver() throws IOException {
        if (cap <= 0 || capProblem != null || liveBytes() <= cap) {
            return false;
        }
        lock.writeLock().lock();
        try {
            long size = liveSize();
            // Whole blocks, short of the end: the kernel refuses a collapse that reaches it (EINVAL).
            long whole = (size - 1) / FileSpace.BLOCK * FileSpace.BLOCK;
            if (size - liveHole <= cap || whole <= liveHole) {
                return false;
            }
            Path next = rotated.resolveSibling(rotated.getFileName() + ".new");
            Files.deleteIfExists(next);
            long keep; // logical offset where the new rotated file starts
            // The bytes before `whole` never change (the job only appends), so the copy is exact.
            try (FileChannel from = FileChannel.open(live, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                 FileChannel to = FileChannel.open(next, java.util.Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
                         LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                keep = liveStart + Math.max(liveHole, rotatedKeepsFrom(from, whole));
                // A follower behind that point keeps its unread bytes (even some of the old rotated file), up
                // to four caps or 64 MB: a follower that stopped reading must not let the disk fill up.
                long slowest = followers.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
                if (slowest < keep) {
                    keep = Math.max(Math.max(slowest, start()), liveStart + whole - Math.max(4 * cap, MAX_UNREAD));
                }
                if (keep < liveStart + liveHole) {
                    try (FileChannel old = FileChannel.open(rotated, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                        copy(old, keep - rotatedStart, rotatedSize, to);
                    }
                }
                copy(from, Math.max(liveHole, keep - liveStart), whole, to);
            }
            try {
                cutFront(whole);
            } catch (IOException e) {
                Files.deleteIfExists(next);
                if (e instanceof FileSpace.Unsupported) {
                    capProblem = e.getMessage();
                    return false;
                }
                throw e;
            }
            Files.move(next, rotated, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            rotatedSize = liveStart + whole - keep;
            rotatedStart = keep;
            if (punching) {
                liveHole = whole;
            } else {
                liveStart += whole;
            }
            rotations++;
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Cuts the live file's first {@code whole} bytes: in place where the file system can, else as a hole. */
    private void cutFront(long whole) throws IOException {
        if (!punching) {
            try {
                FileSpace.collapseFront(live, whole);
                return;
            } catch (FileSpace.Unsupported e) {
                punching = true; // and from now on: the offsets of a punched file stay as they are
            }
        }
        FileSpace.punchFront(live, whole);
    }

    /**
     * Where the rotated file starts: it too holds at most the cap, so the disk holds at most twice the
     * cap per stream; what comes before is dropped, from a line's start where one is near.
     */
    private long rotatedKeepsFrom(FileChannel from, long whole) throws IOException {
        if (whole <= cap) {
            return 0;
        }
        long start = whole - cap;
        java.nio.ByteBuffer look = java.nio.ByteBuffer.allocate((int) Math.min(64 << 10, whole - start));
        from.read(look, start);
        for (int i = 0; i < look.position(); i++) {
            if (look.get(i) == '\n') {
                return start + i + 1;
            }
        }
        return start;
    }

    private static void copy(FileChannel from, long start, long end, FileChannel to) throws IOException {
        for (long done = start; done < end; ) {
            done += from.transferTo(done, end - done, to);
        }
    }

    /** Deletes both files (rm, clean). */
    void delete() throws IOException {
        lock.writeLock().lock();
        try {
            Files.deleteIfExists(live);
            Files.deleteIfExists(rotated);
        } finally {
            lock.writeLock().unlock();
        }
    }
}

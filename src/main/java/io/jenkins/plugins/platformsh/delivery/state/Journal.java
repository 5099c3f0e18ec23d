package io.jenkins.plugins.platformsh.delivery.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The append-only files beside the snapshots: {@code journal-<generation>.jsonl}, one JSON record a line. Each append is
 * one {@code write} of whole lines to a file opened for appending, without {@code fsync}: once it returns, the bytes
 * are the kernel's, so a crash of the process cannot lose them; a power cut (or a crash of the operating system) can
 * lose what the kernel had not yet written out, the tail of the file, or leave its last line cut (which is ignored
 * when read). A new generation starts at each compaction; its file is created on its first append.
 *
 * <p>After a failed write (a full disk) the file may end in part of a line, so nothing more is appended to it: the
 * journal is {@link #broken} until the next compaction starts a new generation.
 */
final class Journal {

    static final String PREFIX = "journal-";
    static final String SUFFIX = ".jsonl";

    private static final Logger LOGGER = Logger.getLogger(Journal.class.getName());

    private final Path directory;
    private long generation;
    private FileChannel channel;
    private boolean broken;
    /** Bytes in every journal file not yet folded into a snapshot, this generation's and older ones left over. */
    private long bytes;
    /** Bytes appended since start, for the measurements. */
    private long appended;

    Journal(Path directory, long generation, long bytesBefore) {
        this.directory = directory;
        this.generation = generation;
        this.bytes = bytesBefore;
    }

    static String fileName(long generation) {
        return PREFIX + generation + SUFFIX;
    }

    /** The journal files of this directory by generation, oldest first; other files are left alone. */
    static TreeMap<Long, Path> files(Path directory) {
        TreeMap<Long, Path> out = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (Stream<Path> list = Files.list(directory)) {
            list.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
                    String number = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
                    if (!number.isEmpty()
                            && number.length() < 19
                            && number.chars().allMatch(Character::isDigit)) {
                        out.put(Long.parseLong(number), p);
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not list " + directory, e);
        }
        return out;
    }

    /**
     * Appends whole lines, each ending with {@code \n}, in one write. Returns false (and logs) if they could not be
     * appended; the journal is then broken until {@link #startGeneration}.
     */
    synchronized boolean append(byte[] lines) {
        if (broken) {
            return false;
        }
        try {
            if (channel == null) {
                Files.createDirectories(directory);
                channel = FileChannel.open(
                        directory.resolve(fileName(generation)),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            ByteBuffer buf = ByteBuffer.wrap(lines);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            bytes += lines.length;
            appended += lines.length;
            return true;
        } catch (IOException | RuntimeException e) {
            broken = true;
            LOGGER.log(
                    Level.WARNING,
                    "Could not append to " + directory.resolve(fileName(generation))
                            + "; what it would have held is written with the next snapshot",
                    e);
            close();
            return false;
        }
    }

    /** Later appends go to a new file, of the next generation; returns that generation. */
    synchronized long startGeneration() {
        close();
        broken = false;
        generation++;
        return generation;
    }

    /** Deletes the files of generations before {@code generation}: a snapshot holds what they held. */
    synchronized void dropBefore(long before) {
        long left = 0;
        for (var f : files(directory).entrySet()) {
            if (f.getKey() < before) {
                try {
                    Files.deleteIfExists(f.getValue());
                } catch (IOException | RuntimeException e) {
                    LOGGER.log(Level.FINE, "Could not delete " + f.getValue() + "; the next load skips it", e);
                }
            } else if (f.getKey() == generation) {
                left += size(f.getValue());
            }
        }
        bytes = left;
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    synchronized long generation() {
        return generation;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long appended() {
        return appended;
    }

    synchronized boolean broken() {
        return broken;
    }

    synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOGGER.log(Level.FINE, "Could not close the journal", e);
            }
            channel = null;
        }
    }

    /** The complete lines of a journal file; a last line without its newline (cut by a crash) is left out. */
    static List<byte[]> lines(byte[] content) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                if (i > start) {
                    out.add(java.util.Arrays.copyOfRange(content, start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }
}

package io.jenkins.plugins.platformsh.delivery.state;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a {@link Deduplicator} and a {@link DeliveryLog} in two files of one directory, across restarts.
 *
 * <p>Reading happens once, on first use ({@link #loadOnce}), not when Jenkins starts. Writing never happens on a
 * delivery's path: {@link #changed} only asks for a write {@link #delay} seconds later, and every change in between
 * rides on that one write. {@link #flush} (at shutdown) writes what is pending at once. Each file is written to a
 * temporary file, forced to disk, then moved over the old one atomically: a crash leaves the old file or the new one,
 * never half of one. A file that cannot be read is set aside with a warning and start-up goes on without it.
 */
public final class StateStore {

    public static final String DELIVERIES_FILE = "deliveries.json";
    public static final String DEDUPE_FILE = "dedupe.json";
    /** Seconds between a change and its write; the most a crash (not a shutdown) can lose. */
    public static final long DEFAULT_DELAY_SECONDS = 5;

    private static final Logger LOGGER = Logger.getLogger(StateStore.class.getName());

    private final Path directory;
    private final Deduplicator dedupe;
    private final DeliveryLog log;
    private final ScheduledExecutorService scheduler;
    private final long delay;
    private volatile boolean loaded;
    private final AtomicBoolean writePending = new AtomicBoolean();
    private long writtenDedupe = -1;
    private long writtenLog = -1;

    public StateStore(
            Path directory,
            Deduplicator dedupe,
            DeliveryLog log,
            ScheduledExecutorService scheduler,
            long delaySeconds) {
        this.directory = directory;
        this.dedupe = dedupe;
        this.log = log;
        this.scheduler = scheduler;
        this.delay = delaySeconds;
    }

    public Path directory() {
        return directory;
    }

    /** Reads the files the first time it is called; later calls cost one volatile read. */
    public void loadOnce() {
        if (loaded) {
            return;
        }
        synchronized (this) {
            if (loaded) {
                return;
            }
            try {
                load();
            } finally {
                loaded = true;
                // What was read is what is on disk: nothing to write until something changes.
                writtenDedupe = dedupe.changes();
                writtenLog = log.changes();
            }
        }
    }

    private void load() {
        byte[] d = readIfPresent(DEDUPE_FILE);
        if (d != null) {
            try {
                StateFormat.restoreDedupe(dedupe, d);
            } catch (StateFormat.UnreadableStateException e) {
                setAside(DEDUPE_FILE, e.getMessage());
            }
        }
        byte[] l = readIfPresent(DELIVERIES_FILE);
        if (l != null) {
            try {
                StateFormat.restoreLog(log, l);
            } catch (StateFormat.UnreadableStateException e) {
                setAside(DELIVERIES_FILE, e.getMessage());
            }
        }
    }

    /** Asks for a write soon; returns at once. Many changes within the delay make one write. */
    public void changed() {
        if (writePending.compareAndSet(false, true)) {
            try {
                scheduler.schedule(this::writeScheduled, delay, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                // The scheduler is shutting down: the shutdown flush writes it.
                writePending.set(false);
            }
        }
    }

    private void writeScheduled() {
        writePending.set(false);
        flush();
    }

    /**
     * Writes each file whose content changed since it was last written. Never throws: a failed write is logged and
     * tried again on the next change. Before the first load nothing is written, or an empty memory would replace
     * the stored one.
     */
    public synchronized void flush() {
        if (!loaded) {
            return;
        }
        long d = dedupe.changes();
        if (d != writtenDedupe && write(DEDUPE_FILE, StateFormat.dedupeToJson(dedupe))) {
            writtenDedupe = d;
        }
        long l = log.changes();
        if (l != writtenLog && write(DELIVERIES_FILE, StateFormat.logToJson(log))) {
            writtenLog = l;
        }
    }

    private boolean write(String name, byte[] content) {
        Path target = directory.resolve(name);
        Path tmp = directory.resolve(name + ".tmp");
        try {
            Files.createDirectories(directory);
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not write " + target + "; it is tried again on the next delivery", e);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the next write truncates it anyway
            }
            return false;
        }
    }

    private byte[] readIfPresent(String name) {
        Path file = directory.resolve(name);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not read " + file + "; starting without it", e);
            return null;
        }
    }

    /** Keeps an unreadable file for whoever wants to look at it, out of the way of the next write. */
    private void setAside(String name, String why) {
        Path file = directory.resolve(name);
        Path aside = directory.resolve(name + ".unreadable");
        LOGGER.warning(() -> "Ignoring " + file + " (" + why + "); starting without it, the file is kept as " + aside);
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.FINE, "Could not set " + file + " aside", e);
        }
    }
}

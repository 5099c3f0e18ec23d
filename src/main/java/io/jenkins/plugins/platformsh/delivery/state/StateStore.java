package io.jenkins.plugins.platformsh.delivery.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.platformsh.delivery.dedupe.DedupeJournal;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a {@link Deduplicator} and a {@link DeliveryLog} in one directory, across restarts and crashes.
 *
 * <p><b>Files.</b> Two snapshots, {@code dedupe.json} and {@code deliveries.json} ({@link StateFormat}), and an
 * append-only journal, {@code journal-<generation>.jsonl} ({@link Journal}, {@link JournalFormat}), of every change
 * since the snapshots. A snapshot names the first journal generation it does not hold.
 *
 * <p><b>When things are written.</b> What the de-duplication memory remembers or forgets is appended to the journal on
 * the delivery's own thread, before its answer is sent (one small write, no {@code fsync}): a crash of the process
 * after the answer cannot make that delivery build again. The log's changes (new entries, scheduling results, notes,
 * replay bodies kept or dropped, counters) are appended by the writer, {@link #delay} seconds after a change
 * ({@link #changed}), off the request path; each changed entry is written whole, an unchanged one not at all, so a
 * steady flow writes about what it adds, whatever the log holds. {@link #flush} (at shutdown) does the same at once.
 *
 * <p><b>Compaction.</b> When the journal grows past {@link #COMPACT_MIN_BYTES} and past the size of the last
 * snapshots, the writer starts a new journal generation, writes both snapshots of that moment (each to a temporary
 * file, forced to disk, then moved over the old one atomically) and only then deletes the older journal files. A
 * crash at any point leaves a readable state: the load replays onto each snapshot only the journal generations it does
 * not hold, so nothing is applied twice or missed.
 *
 * <p><b>Reading</b> happens once, on first use ({@link #loadOnce}): the snapshots, then the journal files oldest first.
 * A last line cut short (a crash in the middle of a write) is ignored; a file that cannot be read, snapshot or journal,
 * is set aside with a warning (a journal's records before its first unreadable line are kept) and start-up goes on.
 */
public final class StateStore {

    public static final String DELIVERIES_FILE = "deliveries.json";
    public static final String DEDUPE_FILE = "dedupe.json";
    /** Seconds between a change of the log and its append; what a crash can lose of the log (not of dedupe). */
    public static final long DEFAULT_DELAY_SECONDS = 5;
    /** The journal is folded into new snapshots once it is larger than this and than the last snapshots. */
    public static final long COMPACT_MIN_BYTES = 1024 * 1024;
    /** Journal files found at a load past which the first write compacts: each start begins a file of its own. */
    static final int MAX_JOURNAL_FILES = 8;

    private static final Logger LOGGER = Logger.getLogger(StateStore.class.getName());

    private final Path directory;
    private final Deduplicator dedupe;
    private final DeliveryLog log;
    private final ScheduledExecutorService scheduler;
    private final long delay;
    private volatile boolean loaded;
    private final AtomicBoolean writePending = new AtomicBoolean();
    /** Set at load; appended to by delivery threads and the writer. */
    private volatile Journal journal;

    // The writer's own, guarded by this: what the journal and snapshots hold of the log.
    private final Map<String, Written> written = new HashMap<>();
    private Map<String, Long> writtenCounters = Map.of();
    private long writtenSequence;
    private long snapshotBytes;
    /** A snapshot is needed whatever the journal's size: something is not in the journal. */
    private volatile boolean snapshotNeeded;

    private long compactMinBytes = COMPACT_MIN_BYTES;
    private final java.util.concurrent.atomic.AtomicLong snapshotBytesWritten =
            new java.util.concurrent.atomic.AtomicLong();
    /** Told after each step of a compaction: the tests make a crash there. */
    private Consumer<String> afterStep = step -> {};

    /** What was last written of an entry: the same object, with the same replay body and link, needs no record. */
    private record Written(DeliveryLog.Entry entry, boolean replayable, String replayOf, boolean refused) {
        static Written of(DeliveryLog.Entry e, boolean refused) {
            return new Written(e, e.replayable(), e.replayOf(), refused);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Written w
                    && w.entry == entry // entries change by being replaced (scheduling, notes), or in these fields
                    && w.replayable == replayable
                    && w.replayOf.equals(replayOf)
                    && w.refused == refused;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(entry);
        }
    }

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
        dedupe.journalTo(new DedupeRecords());
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
            // Anything remembered before the files were read is in no journal: the next write makes a snapshot.
            snapshotNeeded |= dedupe.size() > 0 || !log.newestFirst().isEmpty();
            try {
                load();
            } finally {
                if (journal == null) {
                    // After the last generation found, never over one that a snapshot may name as already folded in
                    // (the next load would drop it unread).
                    TreeMap<Long, Path> found = Journal.files(directory);
                    journal = new Journal(directory, found.isEmpty() ? 1 : found.lastKey() + 1, 0);
                }
                LogView now = LogView.of(log);
                remember(now); // what was read is what is on disk
                loaded = true;
            }
            if (snapshotNeeded) {
                changed(); // what is only in memory (a journal set aside) is written soon, not at some later change
            }
        }
    }

    private void load() {
        JsonNode dedupeRoot = readSnapshot(DEDUPE_FILE);
        JsonNode logRoot = readSnapshot(DELIVERIES_FILE);
        long dedupeFrom = dedupeRoot == null ? 0 : StateFormat.journalGeneration(dedupeRoot);
        long logFrom = logRoot == null ? 0 : StateFormat.journalGeneration(logRoot);
        snapshotBytes = Journal.size(directory.resolve(DEDUPE_FILE)) + Journal.size(directory.resolve(DELIVERIES_FILE));
        if (dedupeRoot != null) {
            try {
                StateFormat.restoreDedupe(dedupe, dedupeRoot);
            } catch (StateFormat.UnreadableStateException e) {
                setAside(DEDUPE_FILE, e.getMessage());
                dedupeFrom = 0;
            }
        }
        LogReplay replay = new LogReplay(logRoot);
        TreeMap<Long, Path> journals = Journal.files(directory);
        // Restarts that each appended a little would leave many small files, none large enough to compact.
        snapshotNeeded |= journals.size() >= MAX_JOURNAL_FILES;
        long bytes = 0;
        long last = Math.max(dedupeFrom, logFrom);
        for (Map.Entry<Long, Path> f : journals.entrySet()) {
            long generation = f.getKey();
            last = Math.max(last, generation + 1);
            if (generation < dedupeFrom && generation < logFrom) {
                // Left by a compaction cut short after both snapshots were in place: they hold all of it.
                deleteQuietly(f.getValue());
                continue;
            }
            byte[] content = readIfPresent(f.getValue().getFileName().toString());
            if (content == null) {
                continue;
            }
            bytes += content.length;
            for (byte[] line : Journal.lines(content)) {
                JsonNode record;
                try {
                    record = JournalFormat.read(line);
                } catch (StateFormat.UnreadableStateException e) {
                    setAside(f.getValue().getFileName().toString(), e.getMessage());
                    snapshotNeeded = true; // what was read of it is only in memory now
                    break;
                }
                String kind = StateFormat.text(record, "r");
                if (JournalFormat.SEEN.equals(kind) || JournalFormat.FORGET.equals(kind)) {
                    if (generation >= dedupeFrom) {
                        List<String> shares = JournalFormat.texts(record, "s");
                        List<String> entries = JournalFormat.texts(record, "e");
                        if (JournalFormat.SEEN.equals(kind) && entries.size() == 1) {
                            dedupe.rememberedBefore(shares, entries.get(0));
                        } else if (JournalFormat.FORGET.equals(kind)) {
                            dedupe.forgottenBefore(shares, entries);
                        }
                    }
                } else if (generation >= logFrom) {
                    replay.apply(record); // a kind this version does not know is skipped
                }
            }
        }
        if (logRoot != null || !replay.isEmpty()) {
            try {
                StateFormat.restoreLog(log, replay.root());
            } catch (StateFormat.UnreadableStateException e) {
                setAside(DELIVERIES_FILE, e.getMessage());
                snapshotNeeded = true;
            }
        }
        journal = new Journal(directory, Math.max(1, last), bytes);
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
     * Appends what changed in the log since the last write, and compacts when the journal has grown enough. Never
     * throws: a failed write is logged and tried again on the next change. Before the first load nothing is written,
     * or an empty memory would replace the stored one.
     */
    public synchronized void flush() {
        if (!loaded) {
            return;
        }
        log.settleBodies(); // the replay copies not made yet are made here, by the writer, off the request path
        LogView view = LogView.of(log);
        appendChanges(view);
        Journal j = journal;
        if (snapshotNeeded || j.broken() || (j.bytes() > compactMinBytes && j.bytes() > snapshotBytes)) {
            compact(view);
        }
        log.settleBodies(); // a copy kept meanwhile was made above: counted at its length now
    }

    /** The records of what changed in the log since the last write, appended in one write. */
    private void appendChanges(LogView view) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Written> now = new HashMap<>();
        changes(view.entries(), false, now, out);
        changes(view.refused(), true, now, out);
        for (String id : written.keySet()) {
            if (!now.containsKey(id)) {
                out.writeBytes(JournalFormat.drop(id));
            }
        }
        if (!view.counters().equals(writtenCounters) || view.sequence() != writtenSequence) {
            out.writeBytes(JournalFormat.counters(view.counters(), view.sequence()));
        }
        if (out.size() > 0 && journal.append(out.toByteArray())) {
            remember(view);
        }
    }

    private void changes(
            List<DeliveryLog.Entry> entries, boolean refused, Map<String, Written> now, ByteArrayOutputStream out) {
        for (DeliveryLog.Entry e : entries) {
            Written w = Written.of(e, refused);
            now.put(e.deliveryId(), w);
            if (!w.equals(written.get(e.deliveryId()))) {
                out.writeBytes(JournalFormat.entry(e, refused));
            }
        }
    }

    private void remember(LogView view) {
        written.clear();
        view.entries().forEach(e -> written.put(e.deliveryId(), Written.of(e, false)));
        view.refused().forEach(e -> written.put(e.deliveryId(), Written.of(e, true)));
        writtenCounters = view.counters();
        writtenSequence = view.sequence();
    }

    /**
     * Starts a new journal generation and writes both snapshots of this moment; the older journal files go only once
     * both are in place. The log's records since {@code view} go to the new generation at the next write.
     */
    /** The generation a compaction started and could not snapshot, reused by the next one; -1 when none. */
    private long failedGeneration = -1;

    private void compact(LogView view) {
        List<Deduplicator.Remembered> remembered;
        long generation;
        synchronized (dedupe) { // no delivery is remembered between the copy and the switch
            remembered = dedupe.oldestFirst();
            // After a failed snapshot write, the generation it started is reused: a disk that refuses the snapshots
            // on every pass must not leave a new journal file per pass. Its records replay over the later copy
            // harmlessly (the same records, in order, to the same end).
            generation = failedGeneration == journal.generation() && !journal.broken()
                    ? failedGeneration
                    : journal.startGeneration();
        }
        afterStep.accept("generation");
        byte[] d = StateFormat.dedupeToJson(remembered, generation);
        byte[] l = StateFormat.logToJson(view, generation);
        if (!write(DEDUPE_FILE, d)) {
            snapshotNeeded = true;
            failedGeneration = generation;
            return;
        }
        afterStep.accept(DEDUPE_FILE);
        if (!write(DELIVERIES_FILE, l)) {
            snapshotNeeded = true;
            failedGeneration = generation;
            return;
        }
        failedGeneration = -1;
        afterStep.accept(DELIVERIES_FILE);
        journal.dropBefore(generation);
        afterStep.accept("dropped");
        snapshotBytes = d.length + l.length;
        snapshotNeeded = false;
        remember(view);
    }

    /** Appends the de-duplication memory's changes, on the delivery's thread, before its answer. */
    private final class DedupeRecords implements DedupeJournal {
        @Override
        public void remembered(List<String> shares, String entry) {
            append(JournalFormat.seen(shares, entry));
        }

        @Override
        public void forgotten(List<String> shares, List<String> entries) {
            append(JournalFormat.forget(shares, entries));
        }

        private void append(byte[] record) {
            Journal j = journal;
            if (j == null || !loaded || !j.append(record)) {
                snapshotNeeded = true; // in memory only: the next write makes a snapshot of it
                if (j != null && loaded) {
                    changed();
                }
            }
        }
    }

    /** Bytes appended to the journal since start (for the measurements). */
    public long journalBytesAppended() {
        Journal j = journal;
        return j == null ? 0 : j.appended();
    }

    /** Bytes written since start, journal and snapshots (for the measurements). */
    public long bytesWritten() {
        return journalBytesAppended() + snapshotBytesWritten.get();
    }

    /** For the tests: compacts past {@code bytes} (and the snapshots' size) instead of {@link #COMPACT_MIN_BYTES}. */
    synchronized void compactAbove(long bytes) {
        compactMinBytes = bytes;
    }

    /** For the tests: the next write compacts, whatever the journal's size. */
    void compactAtNextWrite() {
        snapshotNeeded = true;
    }

    /** For the tests: told the name of each step of a compaction once it is done. */
    synchronized void afterEachStep(Consumer<String> step) {
        afterStep = Objects.requireNonNull(step);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.FINE, "Could not delete " + file + "; the next load skips it again", e);
        }
    }

    private JsonNode readSnapshot(String name) {
        byte[] content = readIfPresent(name);
        if (content == null) {
            return null;
        }
        try {
            return StateFormat.read(content);
        } catch (StateFormat.UnreadableStateException e) {
            setAside(name, e.getMessage());
            return null;
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
            snapshotBytesWritten.addAndGet(content.length);
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

package io.jenkins.plugins.platformsh.delivery.dedupe;

import java.util.List;

/**
 * Where the {@link Deduplicator} reports each change of its memory as it happens, so that a crash of the process
 * cannot make a delivery build twice (the state store appends it to its journal). Called on the delivery's thread,
 * inside the memory's lock, before the answer is made: an implementation does one small write and returns, and
 * never throws (what it throws is ignored).
 */
public interface DedupeJournal {

    /** {@code entry} is now the newest of each of these shares (a first delivery, or a repeat seen again). */
    void remembered(List<String> shares, String entry);

    /** These entries were forgotten in these shares (a delivery that could not be queued, so that a retry builds). */
    void forgotten(List<String> shares, List<String> entries);

    /** Reports nothing: the memory lives only as long as the process, or is written whole by someone else. */
    DedupeJournal NONE = new DedupeJournal() {
        @Override
        public void remembered(List<String> shares, String entry) {}

        @Override
        public void forgotten(List<String> shares, List<String> entries) {}
    };
}

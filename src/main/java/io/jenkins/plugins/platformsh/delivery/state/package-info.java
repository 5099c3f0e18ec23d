/**
 * What survives a restart and a crash: the de-duplication memory and the delivery log as snapshots ({@code StateFormat},
 * read back within today's bounds) and an append-only journal of the changes since ({@code Journal},
 * {@code JournalFormat}), kept by {@code StateStore}: the de-duplication record of a delivery is appended before its
 * answer (through {@code dedupe.DedupeJournal}), the log's changes off the request path. Uses {@code log} and the
 * stages below it; only {@code DeliveryService}'s owner uses it.
 */
package io.jenkins.plugins.platformsh.delivery.state;

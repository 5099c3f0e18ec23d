package io.jenkins.plugins.platformsh.delivery.verify;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The verification keys, resolved once per change of what names them and kept, so that a request (any anonymous
 * caller with a signature-shaped header) costs no credentials lookup.
 *
 * <p>The caller passes a version that grows whenever what names keys changes (a trigger registers or goes, a waiting
 * step naming its own keys starts or ends, the global configuration or a credentials store is saved): a new version
 * resolves again, but at most once per {@code minInterval} (1 second by default). A Pipeline author can move the
 * version as often as a loop of waits starts and ends; without that bound, every request following a change (forged
 * ones included) would pay a full resolution. (Saves of the global configuration and of credentials stores are
 * passed apart, and seen at once: see {@link #get(long, long, Supplier)}.) A new version seen less than the interval after the last resolution
 * keeps the current list until the interval has passed: a key named by a trigger or a wait that has just started is
 * recognised at most that long after it started. Credentials can also change where nothing tells us (a credentials
 * provider backed by an external vault), so a list older than the time to live is resolved again too, at most once
 * per that time however many requests arrive. Resolving is serialised: concurrent requests after a change wait for
 * one resolution.
 */
public final class KeyListCache {

    /** How long a resolved list is trusted when no change was seen. */
    public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofSeconds(60);

    /** The least time between two resolutions caused by a change of version. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(1);

    private final long timeToLiveNanos;
    private final long minIntervalNanos;
    private final LongSupplier nanoTime;

    private List<VerificationKey> keys;
    private long saved;
    private long version;
    private long resolvedAt;
    private long attemptedAt;
    /** The last resolution threw: the list kept is the one before, resolved again once the interval has passed. */
    private boolean failed;

    public KeyListCache() {
        this(DEFAULT_TIME_TO_LIVE, DEFAULT_MIN_INTERVAL, System::nanoTime);
    }

    public KeyListCache(Duration timeToLive, LongSupplier nanoTime) {
        this(timeToLive, DEFAULT_MIN_INTERVAL, nanoTime);
    }

    public KeyListCache(Duration timeToLive, Duration minInterval, LongSupplier nanoTime) {
        if (timeToLive.isNegative() || minInterval.isNegative()) {
            throw new IllegalArgumentException("the time to live or the interval is negative");
        }
        this.timeToLiveNanos = timeToLive.toNanos();
        this.minIntervalNanos = minInterval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * The keys resolved for this version, resolving them if the version changed (and the last resolution is at least
     * the interval old) or the list is older than the time to live. The version is read by the caller before
     * resolving: a change during the resolution is seen by a later call. A resolution that throws leaves nothing
     * cached (the list
     * resolved before stays, and is resolved again once the interval has passed), and the exception goes to the caller.
     */
    public List<VerificationKey> get(long currentVersion, Supplier<List<VerificationKey>> resolve) {
        return get(0, currentVersion, resolve);
    }

    /**
     * The same, with a second version for changes only an administrator (or whoever may save credentials) makes: the
     * global configuration or a credentials store saved. Those are seen at the next call, without waiting for the
     * interval: no Pipeline can make them in a loop, and an administrator who just added a key expects the next
     * delivery to verify with it.
     */
    public synchronized List<VerificationKey> get(
            long savedVersion, long currentVersion, Supplier<List<VerificationKey>> resolve) {
        long now = nanoTime.getAsLong();
        if (keys != null && saved == savedVersion) {
            boolean stale = failed || version != currentVersion || now - resolvedAt >= timeToLiveNanos;
            if (!stale || now - attemptedAt < minIntervalNanos) {
                return keys; // unchanged, or changed too soon after the last attempt: a later call will see it
            }
        }
        attemptedAt = now; // a failing resolution is not retried by every request either
        saved = savedVersion;
        failed = true;
        List<VerificationKey> fresh = List.copyOf(resolve.get());
        failed = false;
        keys = fresh;
        version = currentVersion;
        resolvedAt = now;
        return fresh;
    }

    /** Forgets the list: the next call resolves. */
    public synchronized void invalidate() {
        keys = null;
    }
}

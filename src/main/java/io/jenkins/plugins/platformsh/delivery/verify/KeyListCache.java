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
 * resolves again. Credentials can also change where nothing tells us (a credentials provider backed by an external
 * vault), so a list older than the time to live is resolved again too, at most once per that time however many
 * requests arrive. Resolving is serialised: concurrent requests after a change wait for one resolution.
 */
public final class KeyListCache {

    /** How long a resolved list is trusted when no change was seen. */
    public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofSeconds(60);

    private final long timeToLiveNanos;
    private final LongSupplier nanoTime;

    private List<VerificationKey> keys;
    private long version;
    private long resolvedAt;

    public KeyListCache() {
        this(DEFAULT_TIME_TO_LIVE, System::nanoTime);
    }

    public KeyListCache(Duration timeToLive, LongSupplier nanoTime) {
        if (timeToLive.isNegative()) {
            throw new IllegalArgumentException("the time to live is negative");
        }
        this.timeToLiveNanos = timeToLive.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * The keys resolved for this version, resolving them if the version changed or the list is older than the time to
     * live. The version is read by the caller before resolving: a change during the resolution is seen by the next
     * call. A resolution that throws leaves nothing cached, and the exception goes to the caller.
     */
    public synchronized List<VerificationKey> get(long currentVersion, Supplier<List<VerificationKey>> resolve) {
        long now = nanoTime.getAsLong();
        if (keys != null && version == currentVersion && now - resolvedAt < timeToLiveNanos) {
            return keys;
        }
        List<VerificationKey> fresh = List.copyOf(resolve.get());
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

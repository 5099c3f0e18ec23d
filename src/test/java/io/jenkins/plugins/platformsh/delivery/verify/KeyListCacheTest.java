package io.jenkins.plugins.platformsh.delivery.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Keys are resolved once per change, or once the list is older than its time to live; never per request. */
class KeyListCacheTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final KeyListCache cache = new KeyListCache(Duration.ofSeconds(60), nanos::get);
    private final AtomicInteger resolutions = new AtomicInteger();
    private final Supplier<List<VerificationKey>> resolve = () -> {
        resolutions.incrementAndGet();
        return List.of(VerificationKey.sharedKey("k" + resolutions.get(), "secret", true));
    };

    @Test
    void manyRequestsWithoutAChangeResolveOnce() {
        List<VerificationKey> first = cache.get(7, resolve);
        for (int i = 0; i < 10_000; i++) {
            assertSame(first, cache.get(7, resolve));
        }
        assertEquals(1, resolutions.get());
    }

    @Test
    void aNewVersionResolvesAgainOnce() {
        cache.get(1, resolve);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals("k2", cache.get(2, resolve).get(0).id());
        cache.get(2, resolve);
        assertEquals(2, resolutions.get());
    }

    @Test
    void anOldListIsResolvedAgainAtMostOncePerTimeToLive() {
        cache.get(1, resolve);
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        cache.get(1, resolve);
        assertEquals(1, resolutions.get());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        cache.get(1, resolve);
        cache.get(1, resolve);
        assertEquals(
                2, resolutions.get(), "credentials changed where nothing tells us are seen after the time to live");
    }

    @Test
    void aFailedResolutionIsNotCached() {
        cache.get(1, resolve);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThrows(
                IllegalStateException.class,
                () -> cache.get(2, () -> {
                    throw new IllegalStateException("store down");
                }));
        assertEquals("k1", cache.get(2, resolve).get(0).id(), "the list resolved before, until the interval passed");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals("k2", cache.get(2, resolve).get(0).id(), "tried again once the interval passed");
    }

    @Test
    void invalidateResolvesAtTheNextCall() {
        cache.get(1, resolve);
        cache.invalidate();
        cache.get(1, resolve);
        assertEquals(2, resolutions.get());
    }

    /** A loop of short waits in a Pipeline moves the version on and on: requests must not pay for each move. */
    @Test
    void manyChangesWithinOneIntervalResolveAtMostOnce() {
        cache.get(0, resolve);
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        resolutions.set(0);
        long step = Duration.ofMillis(1).toNanos();
        for (int version = 1; version <= 999; version++) { // 999 changes, each followed by 10 requests, within 1 s
            for (int request = 0; request < 10; request++) {
                cache.get(version, resolve);
            }
            nanos.addAndGet(step);
        }
        assertEquals(1, resolutions.get(), "the first change resolves; the others wait for the interval");
    }

    @Test
    void aChangeSeenWithinTheIntervalIsPickedUpOnceItHasPassed() {
        cache.get(1, resolve);
        nanos.addAndGet(Duration.ofMillis(400).toNanos());
        assertEquals("k1", cache.get(2, resolve).get(0).id(), "too soon after the last resolution");
        nanos.addAndGet(Duration.ofMillis(599).toNanos());
        assertEquals("k1", cache.get(2, resolve).get(0).id());
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertEquals("k2", cache.get(2, resolve).get(0).id(), "the interval has passed");
        assertEquals(2, resolutions.get());
    }

    @Test
    void aChangeAfterAQuietIntervalIsPickedUpAtOnce() {
        cache.get(1, resolve);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals("k2", cache.get(2, resolve).get(0).id());
    }

    @Test
    void anAdministratorsSaveIsSeenAtOnce() {
        cache.get(0, 1, resolve);
        nanos.addAndGet(Duration.ofMillis(10).toNanos());
        assertEquals("k1", cache.get(0, 2, resolve).get(0).id(), "a wait started: within the interval");
        assertEquals("k2", cache.get(1, 2, resolve).get(0).id(), "the configuration saved: at once");
        assertEquals("k2", cache.get(1, 2, resolve).get(0).id());
        assertEquals(2, resolutions.get());
    }

    @Test
    void aFailedResolutionAfterASaveIsTriedAgainOncePerInterval() {
        cache.get(0, 1, resolve);
        Supplier<List<VerificationKey>> down = () -> {
            resolutions.incrementAndGet();
            throw new IllegalStateException("store down");
        };
        assertThrows(IllegalStateException.class, () -> cache.get(1, 1, down));
        for (int i = 0; i < 100; i++) {
            assertEquals("k1", cache.get(1, 1, down).get(0).id(), "the list before, not a lookup per request");
        }
        assertEquals(2, resolutions.get());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals("k3", cache.get(1, 1, resolve).get(0).id(), "tried again once the interval passed");
    }
}

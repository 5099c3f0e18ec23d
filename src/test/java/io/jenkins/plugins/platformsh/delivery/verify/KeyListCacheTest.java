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
        assertThrows(
                IllegalStateException.class,
                () -> cache.get(2, () -> {
                    throw new IllegalStateException("store down");
                }));
        assertEquals("k2", cache.get(2, resolve).get(0).id(), "tried again at the next request");
    }

    @Test
    void invalidateResolvesAtTheNextCall() {
        cache.get(1, resolve);
        cache.invalidate();
        cache.get(1, resolve);
        assertEquals(2, resolutions.get());
    }
}

package io.jenkins.plugins.platformsh.delivery.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MissingKeysTest {

    @Test
    void eachMissingKeyIsReportedOnceUntilFound() {
        MissingKeys m = new MissingKeys();
        assertTrue(m.missing("a"));
        assertFalse(m.missing("a"));
        m.found("a");
        assertTrue(m.missing("a"), "missing again after being found: reported again");
    }

    @Test
    void theMemoryIsBoundedWhateverIsNamed() {
        MissingKeys m = new MissingKeys();
        for (int i = 0; i < 100_000; i++) {
            m.missing("id-" + i + " named by waitForPlatformsh in job");
        }
        assertEquals(MissingKeys.LIMIT, m.size());
        assertTrue(m.missing("id-0 named by waitForPlatformsh in job"), "the oldest went first");
        assertFalse(m.missing("id-99999 named by waitForPlatformsh in job"));
    }
}

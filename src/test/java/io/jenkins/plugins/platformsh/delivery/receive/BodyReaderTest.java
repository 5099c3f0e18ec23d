package io.jenkins.plugins.platformsh.delivery.receive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BodyReaderTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Hands out at most a few bytes per read, as a slow network does. */
    private static InputStream trickle(byte[] b) {
        return new ByteArrayInputStream(b) {
            @Override
            public synchronized int read(byte[] out, int off, int len) {
                return super.read(out, off, Math.min(len, 7));
            }
        };
    }

    @ParameterizedTest
    @CsvSource({
        // body size, declared length (-1: none), limit
        "0, 0, 2048",
        "0, -1, 2048",
        "1, 1, 2048",
        "14041, 14041, 2000000",
        "14041, -1, 2000000",
        "2000000, 2000000, 10485760",
        "2000000, -1, 10485760",
        "2048, 2048, 2048",
        "2048, -1, 2048",
        "3000, 10, 4096",
        "3000, 0, 4096",
        "10, 3000, 4096",
        "1500000, 100, 2000000",
        "65536, -1, 65536",
        "65537, -1, 1000000",
        "131072, -1, 1000000"
    })
    void readsEveryByteWhateverTheDeclaredLengthSays(int size, long declared, long limit) throws Exception {
        byte[] body = bytes(size);
        assertArrayEquals(body, BodyReader.read(new ByteArrayInputStream(body), declared, limit));
        assertArrayEquals(body, BodyReader.read(trickle(body), declared, limit));
    }

    @ParameterizedTest
    @CsvSource({"2049, 2049, 2048", "2049, -1, 2048", "2049, 10, 2048", "2049, 2048, 2048", "70000, -1, 65536"})
    void refusesOneByteOverTheLimit(int size, long declared, long limit) {
        assertThrows(
                BodyReader.TooLargeException.class,
                () -> BodyReader.read(new ByteArrayInputStream(bytes(size)), declared, limit));
        assertThrows(BodyReader.TooLargeException.class, () -> BodyReader.read(trickle(bytes(size)), declared, limit));
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWithoutReading() {
        InputStream never = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("must not be read");
            }
        };
        assertThrows(BodyReader.TooLargeException.class, () -> BodyReader.read(never, 10_000_001, 10_000_000));
    }

    @Test
    void anHonestDeclaredLengthGivesTheArrayItself() throws Exception {
        // Exactly sized: no trailing copy for the common case.
        byte[] body = bytes(14041);
        assertEquals(14041, BodyReader.read(new ByteArrayInputStream(body), 14041, 10_000_000).length);
    }

    @Test
    void aDeclaredLengthIsOnlyAHintPastThePreallocation() throws Exception {
        // Declares the whole limit and sends little: the answer is the little that came.
        byte[] body = bytes(100);
        assertArrayEquals(body, BodyReader.read(new ByteArrayInputStream(body), 10_000_000, 10_000_000));
        assertEquals(1024 * 1024, BodyReader.PREALLOCATE);
    }
}

package io.jenkins.plugins.platformsh.delivery;

import static io.jenkins.plugins.platformsh.delivery.DecidePropertiesTest.GLOBAL_KEY;
import static io.jenkins.plugins.platformsh.delivery.DecidePropertiesTest.JOB_PREFIX;
import static io.jenkins.plugins.platformsh.delivery.DecidePropertiesTest.KEYS;
import static io.jenkins.plugins.platformsh.delivery.DecidePropertiesTest.LOG_MARKER;
import static io.jenkins.plugins.platformsh.delivery.DecidePropertiesTest.SIG;
import static io.jenkins.plugins.platformsh.delivery.DecidePropertiesTest.jsonString;
import static io.jenkins.plugins.platformsh.delivery.DecidePropertiesTest.newIndex;
import static io.jenkins.plugins.platformsh.delivery.DecidePropertiesTest.signed;
import static io.jenkins.plugins.platformsh.delivery.DecidePropertiesTest.withRawValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jenkins.plugins.platformsh.delivery.DecidePropertiesTest.Fixture;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.activity.MalformedDeliveryException;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.redact.Redactor;
import io.jenkins.plugins.platformsh.delivery.schedule.CauseText;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.text.Html;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Example-based tests with hostile input: nesting bombs, oversized and endless bodies, lying Content-Length, truncated
 * JSON at every byte, a huge log, unicode and HTML in names, failing streams, and 50 threads racing one delivery.
 */
class NastyInputTest {

    private static final long LIMIT = DeliverySettings.DEFAULT_MAX_BODY_BYTES;
    private static final DeliverySettings SETTINGS = DeliverySettings.defaults();

    private static DeliveryService service() {
        return new DeliveryService(newIndex());
    }

    /** Decides, turning anything thrown (StackOverflowError included) into a failure that says so. */
    private static Outcome decide(DeliveryService svc, DeliveryRequest request, DeliverySettings settings) {
        try {
            Outcome o = svc.decide(request, settings, KEYS);
            assertNotNull(o);
            assertFalse(o.body().contains(JOB_PREFIX), "the answer names a job");
            if (o.kind() == Outcome.Kind.REJECTED) {
                assertTrue(o.schedules().isEmpty());
            }
            return o;
        } catch (Throwable t) {
            throw new AssertionError("decide threw " + t, t);
        }
    }

    private static Outcome decide(DeliveryService svc, DeliveryRequest request) {
        return decide(svc, request, SETTINGS);
    }

    private static DeliveryRequest.Builder post() {
        return DeliveryRequest.builder().method("POST").header("Content-Type", "application/json");
    }

    /**
     * A POST that carries a well-formed signature, good or not: a request with none or a malformed one is refused before its body is read, so the
     * size and read checks are only reached by one that has something to verify.
     */
    private static DeliveryRequest.Builder signedPost() {
        return post().header(SIG, "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19.." + "A".repeat(43));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] activity(String id, String extraFields) {
        return utf8("{\"id\":\"" + id
                + "\",\"type\":\"environment.push\",\"state\":\"complete\",\"project\":\"abcdefgh1234567\""
                + extraFields + "}");
    }

    /**
     * A body generated as it is read: head, then {@code middle} copies of one byte, then tail. Nothing is allocated
     * beyond the caller's buffer; {@link #served} counts the bytes handed out, which bounds what the reader buffered.
     */
    static final class GeneratedStream extends InputStream {
        private final byte[] head;
        private final long middle;
        private final byte fill;
        private final byte[] tail;
        private final long size;
        private final long failAt;
        private final Supplier<? extends Exception> failure;
        long served;

        GeneratedStream(byte[] head, long middle, byte fill, byte[] tail) {
            this(head, middle, fill, tail, -1, null);
        }

        GeneratedStream(
                byte[] head, long middle, byte fill, byte[] tail, long failAt, Supplier<? extends Exception> failure) {
            this.head = head;
            this.middle = middle;
            this.fill = fill;
            this.tail = tail;
            this.size = head.length + middle + tail.length;
            this.failAt = failAt;
            this.failure = failure;
        }

        static GeneratedStream of(long size, char fill) {
            return new GeneratedStream(new byte[0], size, (byte) fill, new byte[0]);
        }

        private byte at(long i) {
            if (i < head.length) {
                return head[(int) i];
            }
            if (i < head.length + middle) {
                return fill;
            }
            return tail[(int) (i - head.length - middle)];
        }

        private void maybeFail() throws IOException {
            if (failAt >= 0 && served >= failAt) {
                Exception e = failure.get();
                if (e instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) e;
            }
        }

        @Override
        public int read() throws IOException {
            maybeFail();
            if (served >= size) {
                return -1;
            }
            return at(served++) & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            maybeFail();
            if (served >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - served);
            if (failAt >= 0) {
                n = (int) Math.max(1, Math.min(n, failAt - served));
            }
            long end = served + n;
            int i = off;
            // Fast path through the middle, byte by byte only at the edges.
            while (served < end) {
                if (served >= head.length && served < head.length + middle) {
                    int run = (int) Math.min(end - served, head.length + middle - served);
                    Arrays.fill(b, i, i + run, fill);
                    i += run;
                    served += run;
                } else {
                    b[i++] = at(served++);
                }
            }
            return n;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Nesting
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void hundredThousandNestedArraysAreRefusedQuicklyWithoutStackOverflow() {
        int n = 100_000;
        String arrays = "[".repeat(n) + "]".repeat(n);
        String objects = "{\"a\":".repeat(n) + "1" + "}".repeat(n);
        List<byte[]> bodies = List.of(
                utf8(arrays),
                utf8(objects),
                activity("nest-1", ",\"payload\":" + arrays),
                activity("nest-2", ",\"log\":" + arrays),
                activity("nest-3", ",\"payload\":{\"deployment\":{\"routes\":{\"u\":{\"primary\":" + arrays + "}}}}"),
                activity("nest-4", ",\"payload\":{\"commits\":" + arrays + "}"),
                activity("nest-5", ",\"unknown\":" + objects),
                utf8("{\"event\":{\"origin\":" + objects + "}}"));
        DeliveryService svc = service();
        for (byte[] body : bodies) {
            long start = System.nanoTime();
            Outcome o = decide(svc, signed(body));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(400, o.status(), () -> new String(body, 0, 60, StandardCharsets.UTF_8) + " -> " + o);
            assertTrue(ms < 2_000, "refused in " + ms + " ms");
            Outcome dry = svc.dryRun(post().body(body).build(), SETTINGS, KEYS, true);
            assertEquals(400, dry.status());
            // Unsigned: refused before anything is parsed.
            assertEquals(401, decide(svc, post().body(body).build()).status());
        }
    }

    @Test
    void aSignatureHeaderNamingAMemberTwiceIsRefusedBeforeTheBodyIsRead() {
        byte[] body = activity("dup-header", "");
        // A valid MAC over a header that "last wins" would read as HS256 (issue 21, point 7).
        String sig = DecidePropertiesTest.jwsHeaderJson(
                "{\"alg\":\"none\",\"b64\":false,\"crit\":[\"b64\"],\"alg\":\"HS256\"}",
                DecidePropertiesTest.keyBytes(GLOBAL_KEY),
                body);
        InputStream neverRead = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body was read");
            }
        };
        DeliveryService svc = service();
        Outcome o = decide(svc, post().header(SIG, sig).body(neverRead).build());
        assertEquals(403, o.status(), o::toString);
        assertTrue(o.body().contains("names a member more than once"), o::toString);
        assertTrue(o.schedules().isEmpty());
        // With a body the sender says is too large, the header still decides: 403, not 413.
        assertEquals(
                403,
                decide(svc, post().header(SIG, sig).contentLength(1L << 40).build())
                        .status());
    }

    @Test
    void nestingInTheSignatureHeaderIsRefused() {
        byte[] body = activity("nest-header", "");
        // Deeper than the parser's limit, short enough (under 4096 chars encoded) to reach the JSON check.
        String[] headers = {
            "{\"alg\":" + "[".repeat(1_000) + "]".repeat(1_000) + "}",
            "{\"crit\":" + "[".repeat(1_000) + "]".repeat(1_000) + "}",
            "{\"x\":" + "{\"a\":".repeat(400) + "1" + "}".repeat(400) + "}",
            "[".repeat(2_500)
        };
        for (String h : headers) {
            String sig = DecidePropertiesTest.jwsHeaderJson(h, DecidePropertiesTest.keyBytes(GLOBAL_KEY), body);
            Outcome o = decide(service(), post().header(SIG, sig).body(body).build());
            assertEquals(403, o.status(), o::toString);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Size limits
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void hundredMebibytesOfBracketsStreamedLazilyAre413() {
        long hundredMiB = 100L * 1024 * 1024;
        GeneratedStream undeclared = GeneratedStream.of(hundredMiB, '[');
        Outcome o = decide(service(), signedPost().body(undeclared).build());
        assertEquals(413, o.status(), o::toString);
        assertTrue(undeclared.served <= LIMIT + 1, "read " + undeclared.served + " bytes for a limit of " + LIMIT);

        GeneratedStream declared = GeneratedStream.of(hundredMiB, '[');
        o = decide(
                service(), signedPost().body(declared).contentLength(hundredMiB).build());
        assertEquals(413, o.status(), o::toString);
        assertEquals(0, declared.served, "a declared oversize body is refused before reading it");

        // The same, signed or not, and in a dry run: the size check comes first.
        GeneratedStream dry = GeneratedStream.of(hundredMiB, '[');
        assertEquals(
                413,
                service().dryRun(post().body(dry).build(), SETTINGS, KEYS, true).status());
        assertTrue(dry.served <= LIMIT + 1);
    }

    @Test
    void oneByteOverTheLimitIs413WithAndWithoutContentLength() {
        GeneratedStream declared = GeneratedStream.of(LIMIT + 1, '{');
        assertEquals(
                413,
                decide(
                                service(),
                                signedPost()
                                        .body(declared)
                                        .contentLength(LIMIT + 1)
                                        .build())
                        .status());
        assertEquals(0, declared.served);

        GeneratedStream streamed = GeneratedStream.of(LIMIT + 1, '{');
        assertEquals(413, decide(service(), signedPost().body(streamed).build()).status());
        assertTrue(streamed.served <= LIMIT + 1);

        byte[] bytes = new byte[(int) LIMIT + 1];
        Arrays.fill(bytes, (byte) ' ');
        assertEquals(
                413,
                decide(
                                service(),
                                post().body(bytes)
                                        .header(SIG, SignatureVerifier.sign(GLOBAL_KEY, bytes))
                                        .build())
                        .status());

        // A smaller configured limit, the same way.
        DeliverySettings small = SETTINGS.withMaxBodyBytes(DeliverySettings.MIN_MAX_BODY_BYTES);
        GeneratedStream overSmall = GeneratedStream.of(DeliverySettings.MIN_MAX_BODY_BYTES + 1, ' ');
        assertEquals(
                413,
                decide(service(), signedPost().body(overSmall).build(), small).status());
        assertTrue(overSmall.served <= DeliverySettings.MIN_MAX_BODY_BYTES + 1);
    }

    @Test
    void aContentLengthThatLiesNeverBuffersMoreThanTheLimit() {
        // Declares little, sends far more than the limit.
        GeneratedStream flood = GeneratedStream.of(LIMIT + 1_000_000, '[');
        Outcome o =
                decide(service(), signedPost().body(flood).contentLength(100).build());
        assertEquals(413, o.status(), o::toString);
        assertTrue(flood.served <= LIMIT + 1, "read " + flood.served);

        // Declares little, sends more, but under the limit: garbage either way.
        byte[] garbage = new byte[5_000];
        Arrays.fill(garbage, (byte) 'x');
        o = decide(
                service(),
                post().body(new ByteArrayInputStream(garbage))
                        .contentLength(100)
                        .header(SIG, SignatureVerifier.sign(GLOBAL_KEY, garbage))
                        .build());
        assertTrue(o.status() == 400 || o.status() == 413, o::toString);
        o = decide(
                service(),
                post().body(new ByteArrayInputStream(garbage))
                        .contentLength(100)
                        .header(SIG, SignatureVerifier.sign(GLOBAL_KEY, Arrays.copyOf(garbage, 100)))
                        .build());
        assertTrue(o.status() == 400 || o.status() == 403 || o.status() == 413, o::toString);

        // Declares zero, sends a flood.
        GeneratedStream zero = GeneratedStream.of(LIMIT * 3, ' ');
        assertEquals(
                413,
                decide(service(), signedPost().body(zero).contentLength(0).build())
                        .status());
        assertTrue(zero.served <= LIMIT + 1);

        // Declares more than it sends: the short body is what there is.
        byte[] shortGarbage = Arrays.copyOf(garbage, 100);
        o = decide(
                service(),
                post().body(new ByteArrayInputStream(shortGarbage))
                        .contentLength(5_000)
                        .header(SIG, SignatureVerifier.sign(GLOBAL_KEY, shortGarbage))
                        .build());
        assertEquals(400, o.status(), o::toString);

        // Declares exactly the limit and then keeps sending.
        GeneratedStream atThenMore = GeneratedStream.of(LIMIT + 10, ' ');
        assertEquals(
                413,
                decide(
                                service(),
                                signedPost()
                                        .body(atThenMore)
                                        .contentLength(LIMIT)
                                        .build())
                        .status());
        assertTrue(atThenMore.served <= LIMIT + 1);
    }

    /** A JSON activity of exactly {@code size} bytes, its log padded with 'x'. */
    private static byte[] jsonOfExactly(long size, String id) {
        byte[] head = utf8("{\"id\":\"" + id + "\",\"type\":\"environment.push\",\"state\":\"complete\","
                + "\"project\":\"abcdefgh1234567\",\"log\":\"");
        byte[] tail = utf8("\"}");
        byte[] body = new byte[(int) size];
        System.arraycopy(head, 0, body, 0, head.length);
        Arrays.fill(body, head.length, body.length - tail.length, (byte) 'x');
        System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
        return body;
    }

    @Test
    void aBodyExactlyAtTheLimitIsRead() {
        byte[] json = jsonOfExactly(LIMIT, "at-limit");
        String sig = SignatureVerifier.sign(GLOBAL_KEY, json);
        Outcome declared = decide(service(), post().body(json).header(SIG, sig).build());
        assertEquals(200, declared.status(), declared::toString);
        assertEquals(Outcome.Kind.ACCEPTED, declared.kind());
        Outcome streamed = decide(
                service(),
                post().body(new ByteArrayInputStream(json)).header(SIG, sig).build());
        assertEquals(Outcome.Kind.ACCEPTED, streamed.kind(), streamed::toString);
        Outcome declaredStream = decide(
                service(),
                post().body(new ByteArrayInputStream(json))
                        .contentLength(LIMIT)
                        .header(SIG, sig)
                        .build());
        assertEquals(Outcome.Kind.ACCEPTED, declaredStream.kind(), declaredStream::toString);
        for (Schedule s : declared.schedules()) {
            assertTrue(s.redactedPayload().length() < 1_000, "the padded log is not kept");
        }

        byte[] notJson = new byte[(int) LIMIT];
        Arrays.fill(notJson, (byte) 'x');
        String sig2 = SignatureVerifier.sign(GLOBAL_KEY, notJson);
        assertEquals(
                400,
                decide(service(), post().body(notJson).header(SIG, sig2).build())
                        .status());
        assertEquals(
                400,
                decide(
                                service(),
                                post().body(new ByteArrayInputStream(notJson))
                                        .header(SIG, sig2)
                                        .build())
                        .status());

        DeliverySettings small = SETTINGS.withMaxBodyBytes(DeliverySettings.MIN_MAX_BODY_BYTES);
        byte[] smallJson = jsonOfExactly(DeliverySettings.MIN_MAX_BODY_BYTES, "at-small-limit");
        Outcome atSmall = decide(
                service(),
                post().body(new ByteArrayInputStream(smallJson))
                        .header(SIG, SignatureVerifier.sign(GLOBAL_KEY, smallJson))
                        .build(),
                small);
        assertEquals(Outcome.Kind.ACCEPTED, atSmall.kind(), atSmall::toString);
        byte[] overSmall = jsonOfExactly(DeliverySettings.MIN_MAX_BODY_BYTES + 1, "over-small-limit");
        assertEquals(
                413,
                decide(
                                service(),
                                post().body(overSmall)
                                        .header(SIG, SignatureVerifier.sign(GLOBAL_KEY, overSmall))
                                        .build(),
                                small)
                        .status());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Truncation, huge fields, unicode and HTML
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void truncatedJsonAtEveryByteOffsetIs400() {
        int tried = 0;
        for (Fixture f : Fixture.values()) {
            byte[] whole = f.bytes;
            assertEquals('}', whole[whole.length - 1], "a fixture ends with its closing brace");
            DeliveryService svc = service();
            for (int i = 0; i < whole.length; i++) {
                byte[] prefix = Arrays.copyOf(whole, i);
                Outcome o = decide(svc, signed(prefix));
                if (o.status() != 400) {
                    fail(f + " cut at byte " + i + " of " + whole.length + " -> " + o);
                }
                Outcome dry = svc.dryRun(post().body(prefix).build(), SETTINGS, KEYS, true);
                assertEquals(400, dry.status(), () -> f + " dry run cut at " + dry);
                tried++;
            }
            assertEquals(Outcome.Kind.ACCEPTED, decide(svc, signed(whole)).kind(), "nothing truncated was marked");
        }
        assertTrue(tried > 5_000, "tried " + tried);
    }

    @Test
    void aFiveMegabyteLogIsSkippedNotKept() {
        StringBuilder log = new StringBuilder(5_300_000);
        for (int i = 0; log.length() < 5_000_000; i++) {
            log.append("line ")
                    .append(i)
                    .append(" \\\"quoted\\\" \\u00e9t\\u00e9 ")
                    .append(LOG_MARKER)
                    .append("\\n");
        }
        byte[] body = withRawValue(Fixture.PUSH_2022, "log", "\"" + log + "\"");
        assertTrue(body.length > 5_000_000);
        long start = System.nanoTime();
        Outcome o = decide(service(), signed(body));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Outcome.Kind.ACCEPTED, o.kind(), o::toString);
        assertTrue(ms < 5_000, "decided in " + ms + " ms");
        for (Schedule s : o.schedules()) {
            for (Map.Entry<String, String> v : s.variables().entrySet()) {
                assertFalse(v.getValue().contains(LOG_MARKER), v.getKey() + " holds the log");
                assertTrue(
                        v.getValue().length() < 1_000,
                        v.getKey() + " is " + v.getValue().length() + " chars");
            }
            assertFalse(s.redactedPayload().contains(LOG_MARKER), "the stored payload holds the log");
            assertTrue(s.redactedPayload().length() < body.length / 100);
            assertFalse(s.causeText().contains(LOG_MARKER));
        }
        Activity a = o.activity().orElseThrow();
        assertEquals("act2022push01", a.id());
        assertEquals("main", a.environment());
        assertEquals("Zoë Exämple", a.userName());
    }

    @Test
    void unicodeAndHtmlInTheUserNameAreEscapedInHtmlAndVerbatimOnOneLineInPlainText() {
        String name = "<script>alert('x')</script> & Zoë 👩🏽‍💻 مرحبا \"q\"\nsecond\tline\r\nthird\u0000nul";
        byte[] body = withRawValue(Fixture.PUSH_2022, "payload.user.display_name", jsonString(name));
        Outcome o = decide(service(), signed(body));
        assertEquals(Outcome.Kind.ACCEPTED, o.kind(), o::toString);
        String flat = "<script>alert('x')</script> & Zoë 👩🏽‍💻 مرحبا \"q\" second line  third nul";
        String expectedPlain = "Platform.sh environment.push on main by " + flat;
        for (Schedule s : o.schedules()) {
            assertEquals(expectedPlain, s.causeText());
            assertFalse(s.causeText().contains("\n") || s.causeText().contains("\r"));
            assertEquals(
                    "Platform.sh environment.push on main by &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                            + "Zoë 👩🏽‍💻 مرحبا &quot;q&quot; second line  third nul",
                    s.causeHtml());
            assertFalse(s.causeHtml().contains("<script"));
            assertEquals(name, s.variables().get(Variables.USER), "the variable keeps the name verbatim");
        }
        Activity a = o.activity().orElseThrow();
        assertEquals(expectedPlain, CauseText.plain(a));
        assertEquals(Html.escape(expectedPlain), CauseText.html(a));

        // Right-to-left and emoji survive untouched in both forms.
        String rtl = "שלום עולם 🇺🇳";
        Activity b = parse(withRawValue(Fixture.PUSH_2022, "payload.user.display_name", jsonString(rtl, true)));
        assertTrue(CauseText.plain(b).endsWith(" by " + rtl));
        assertTrue(CauseText.html(b).endsWith(" by " + rtl));
    }

    private static Activity parse(byte[] body) {
        try {
            return ActivityParser.parse(body);
        } catch (MalformedDeliveryException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Failing streams
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void aStreamThatFailsMidBodyIs400AndMarksNothing() {
        byte[] body = Fixture.PUSH_2022.bytes;
        String sig = SignatureVerifier.sign(GLOBAL_KEY, body);
        List<Supplier<? extends Exception>> failures = List.of(
                () -> new IOException("connection reset by peer"),
                () -> new java.io.EOFException("early EOF"),
                () -> new UncheckedIOException(new IOException("wrapped")),
                () -> new IllegalStateException("servlet stream closed"));
        DeliveryService svc = service();
        for (Supplier<? extends Exception> failure : failures) {
            for (long failAt : new long[] {0, 1, body.length / 2, body.length - 1}) {
                for (boolean declare : new boolean[] {true, false}) {
                    GeneratedStream in = new GeneratedStream(body, 0, (byte) 0, new byte[0], failAt, failure);
                    DeliveryRequest.Builder b = post().header(SIG, sig).body(in);
                    if (declare) {
                        b.contentLength(body.length);
                    }
                    Outcome o = decide(svc, b.build());
                    assertEquals(400, o.status(), () -> failure.get() + " at " + failAt + " -> " + o);
                }
            }
        }
        // Large body failing after several chunks.
        GeneratedStream big = new GeneratedStream(
                utf8("{\"log\":\""), 3_000_000, (byte) 'x', utf8("\"}"), 2_500_000, () -> new IOException("reset"));
        assertEquals(400, decide(svc, signedPost().body(big).build()).status());
        assertEquals(
                401,
                decide(
                                svc,
                                post().body(new GeneratedStream(
                                                utf8("{"), 0, (byte) 'x', utf8("}"), 0, () -> new IOException("reset")))
                                        .build())
                        .status(),
                "without a signature the body is never read");
        assertEquals(Outcome.Kind.ACCEPTED, decide(svc, signed(body)).kind(), "a failed read marked the delivery");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Concurrency
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void fiftyThreadsRacingOneSignedDeliveryBuildItOnce() throws Exception {
        int threads = 50;
        int rounds = 20;
        DeliveryService svc = service();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                byte[] body = withRawValue(Fixture.PUSH_2022, "id", "\"race-" + round + "\"");
                String sig = SignatureVerifier.sign(GLOBAL_KEY, body);
                CountDownLatch ready = new CountDownLatch(threads);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Outcome>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    DeliveryRequest request = post().header(SIG, sig)
                            .body(body)
                            .remoteAddress("198.51.100." + t)
                            .build();
                    futures.add(pool.submit(() -> {
                        ready.countDown();
                        start.await();
                        return svc.decide(request, SETTINGS, KEYS);
                    }));
                }
                assertTrue(ready.await(30, TimeUnit.SECONDS), "threads ready");
                start.countDown();
                int accepted = 0;
                int duplicate = 0;
                for (Future<Outcome> f : futures) {
                    Outcome o = f.get(60, TimeUnit.SECONDS);
                    assertEquals(200, o.status(), o::toString);
                    if (o.kind() == Outcome.Kind.ACCEPTED) {
                        accepted++;
                        assertFalse(o.schedules().isEmpty());
                    } else if (o.kind() == Outcome.Kind.DUPLICATE) {
                        duplicate++;
                        assertTrue(o.schedules().isEmpty());
                    } else {
                        fail("round " + round + ": " + o.kind() + " " + o);
                    }
                }
                assertEquals(1, accepted, "round " + round);
                assertEquals(threads - 1, duplicate, "round " + round);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        Map<String, Long> counters = svc.log().counters();
        assertEquals(rounds, counters.get("accepted"));
        assertEquals((long) rounds * (threads - 1), counters.get("duplicate"));
        assertEquals(DeliverySettings.DEFAULT_LOG_SIZE, svc.log().newestFirst().size());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Bugs these tests found in src/main, now fixed: each test fails without its fix.
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * VerificationKey.appliesTo(project) calls Set.contains(null) on an immutable set when the body has no (string)
     * project, which throws NullPointerException out of decide (a 500). Fix: {@code return projects.isEmpty() ||
     * (project != null && projects.contains(project));} (then DeliveryService answers 403 as for another project).
     */
    @Test
    void bugScopedKeyAndBodyWithoutProject() {
        TriggerIndex index = new TriggerIndex();
        index.put(
                JOB_PREFIX + "any",
                TriggerSpec.builder().events("*").states("*").build());
        List<VerificationKey> keys =
                List.of(VerificationKey.sharedKey("scoped", "c2NvcGVk", true).forProjects(Set.of("abcdefgh1234567")));
        for (String json : List.of(
                "{\"id\":\"np1\",\"type\":\"environment.push\",\"state\":\"complete\"}",
                "{\"id\":\"np2\",\"type\":\"environment.push\",\"project\":{\"id\":\"abcdefgh1234567\"}}",
                "{\"id\":\"np3\",\"type\":\"environment.push\",\"project\":null}",
                "{\"event\":{\"component\":\"disk\",\"time\":\"t\"}}")) {
            byte[] body = utf8(json);
            DeliveryRequest r = post().header(SIG, SignatureVerifier.sign("c2NvcGVk", body))
                    .body(body)
                    .build();
            Outcome o;
            try {
                o = new DeliveryService(index).decide(r, SETTINGS, keys);
            } catch (RuntimeException e) {
                throw new AssertionError(json + " threw " + e, e);
            }
            assertEquals(403, o.status(), () -> json + " -> " + o);
        }
    }

    /**
     * CauseText.part cuts at 200 chars, which can split a surrogate pair and leave a lone high surrogate before the
     * ellipsis (written as '?' or refused by XML/UTF-8 encoders). Fix in part(), first line of the
     * {@code if (s.length() > MAX_PART)} block, before the ellipsis is appended:
     * {@code if (Character.isHighSurrogate(sb.charAt(sb.length() - 1))) sb.setLength(sb.length() - 1);}
     */
    @Test
    void bugCauseTextSplitsASurrogatePair() {
        String name = "a".repeat(199) + "😀" + "tail";
        Activity a = parse(withRawValue(Fixture.PUSH_2022, "payload.user.display_name", jsonString(name)));
        String plain = CauseText.plain(a);
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(
                        i + 1 < plain.length() && Character.isLowSurrogate(plain.charAt(i + 1)),
                        "lone high surrogate at " + i + " of the cause text");
            } else if (Character.isLowSurrogate(c)) {
                assertTrue(i > 0 && Character.isHighSurrogate(plain.charAt(i - 1)), "lone low surrogate at " + i);
            }
        }
    }

    /**
     * The cause is promised on one line, but only ISO control characters are flattened: U+2028 LINE SEPARATOR and
     * U+2029 PARAGRAPH SEPARATOR (line breaks for Unicode, JavaScript and many viewers) pass through. Fix in
     * CauseText.part: {@code sb.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);}
     * (low severity; bidi overrides such as U+202E could be considered too).
     */
    @Test
    void bugCauseTextKeepsUnicodeLineSeparators() {
        Activity a = parse(withRawValue(
                Fixture.PUSH_2022, "payload.user.display_name", jsonString("first\u2028second\u2029third")));
        String plain = CauseText.plain(a);
        assertFalse(plain.contains("\u2028") || plain.contains("\u2029"), plain);
    }

    /**
     * The stored, redacted payload (what platformshActivity() returns as {@code payload}) rewrites numbers:
     * {@code 1e999999} becomes the string "Infinity", {@code 1.5e-400} becomes 0.0 and long decimals lose digits,
     * because Redactor copies scalars with copyCurrentEvent (via double). Fix in Redactor.copy's default branch:
     * {@code default -> g.copyCurrentEventExact(p);} (Jackson 2.15+; 1e999999 is then written as 1E+999999).
     */
    @Test
    void bugRedactorRewritesNumbers() throws IOException {
        String json =
                "{\"a\":1e999999,\"b\":0.1000000000000000055511151231257827,\"c\":1.5e-400,\"d\":12345678901234567890123,"
                        + "\"e\":-0.0,\"f\":3}";
        Map<String, java.math.BigDecimal> before = numbers(json);
        Map<String, java.math.BigDecimal> after = numbers(Redactor.redact(utf8(json)));
        assertEquals(before.keySet(), after.keySet(), "every number is still a number");
        before.forEach((k, v) -> assertEquals(0, v.compareTo(after.get(k)), k + ": " + v + " became " + after.get(k)));
    }

    /** The numeric fields of a flat JSON object, exactly. */
    private static Map<String, java.math.BigDecimal> numbers(String json) throws IOException {
        Map<String, java.math.BigDecimal> out = new java.util.TreeMap<>();
        try (com.fasterxml.jackson.core.JsonParser p =
                DecidePropertiesTest.MAPPER.getFactory().createParser(json)) {
            com.fasterxml.jackson.core.JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t.isNumeric()) {
                    out.put(p.currentName(), p.getDecimalValue());
                }
            }
        }
        return out;
    }

    /**
     * Jackson detects UTF-16 and UTF-32 from the first bytes, so a body in UTF-16 (with or without BOM) is parsed and
     * accepted although only UTF-8 JSON is (Content-Type charset is checked, the bytes are not). Not a bypass (the
     * signature covers the raw bytes), but it contradicts "JSON only, UTF-8". Fix in ActivityParser.parse: refuse a
     * body with a 0x00 byte among its first four bytes, or a FE FF / FF FE start (no UTF-8 JSON has either).
     */
    @Test
    void bugUtf16BodiesAreAccepted() {
        String json = "{\"id\":\"u16\",\"type\":\"environment.push\",\"state\":\"complete\"}";
        for (byte[] body : List.of(
                json.getBytes(StandardCharsets.UTF_16LE),
                json.getBytes(StandardCharsets.UTF_16BE),
                ("\uFEFF" + json).getBytes(StandardCharsets.UTF_16BE),
                json.getBytes(java.nio.charset.Charset.forName("UTF-32")))) {
            Outcome o = decide(service(), signed(body));
            assertEquals(400, o.status(), () -> "UTF-16/32 body -> " + o);
        }
    }
}

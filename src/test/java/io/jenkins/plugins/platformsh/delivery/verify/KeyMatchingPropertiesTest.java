package io.jenkins.plugins.platformsh.delivery.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.platformsh.delivery.KeyReadingsTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The verifier stops computing MACs once one key gives the signature. That must never change which keys verify a
 * delivery, nor which reading is reported, whatever the order of the keys, the reading tried first (the verifier
 * remembers the last one), keys that share bytes, or keys with different bytes that HMAC treats alike (trailing zero
 * bytes; a key over 64 bytes and its SHA-256). Expected results come from a table of each key text's readings worked
 * out by hand (Python's base64 and hashlib) and from an HMAC computed here on each reading: nothing of the
 * production derivation.
 */
class KeyMatchingPropertiesTest {

    private static final String LONG = "this passphrase is long: well over the sixty-four bytes of an HMAC block";

    /** Exactly one HMAC block: used as it is, not hashed, so its SHA-256 is another key. */
    private static final String BLOCK = "a sixty-four byte passphrase, exactly the HMAC-SHA256 block size";

    private static final String BLOCK_AND_ZERO =
            "YSBzaXh0eS1mb3VyIGJ5dGUgcGFzc3BocmFzZSwgZXhhY3RseSB0aGUgSE1BQy1TSEEyNTYgYmxvY2sgc2l6ZQA=";

    /** Key text, then its readings: "text" its UTF-8 bytes, "decoded" its base64 decoding where it has one. */
    private static final Map<String, Map<String, byte[]>> READINGS = Map.of(
            "c2VjcmV0",
            Map.of(
                    "text", "c2VjcmV0".getBytes(StandardCharsets.UTF_8),
                    "decoded", "secret".getBytes(StandardCharsets.UTF_8)),
            "secret phrase!",
            Map.of("text", "secret phrase!".getBytes(StandardCharsets.UTF_8)),
            // Its decoding is the next key's text: two keys sharing bytes through different readings.
            "dGV4dA",
            Map.of(
                    "text", "dGV4dA".getBytes(StandardCharsets.UTF_8),
                    "decoded", "text".getBytes(StandardCharsets.UTF_8)),
            "text",
            Map.of(
                    "text", "text".getBytes(StandardCharsets.UTF_8),
                    "decoded", HexFormat.of().parseHex("b5ec6d")),
            // "secret" and a zero byte: the same HMAC key as "secret", other bytes.
            "c2VjcmV0AA",
            Map.of(
                    "text", "c2VjcmV0AA".getBytes(StandardCharsets.UTF_8),
                    "decoded", "secret\0".getBytes(StandardCharsets.UTF_8)),
            // Over the 64-byte block: HMAC keys with its SHA-256, which the next key decodes to.
            LONG,
            Map.of("text", LONG.getBytes(StandardCharsets.UTF_8)),
            "2zZAz9l0IanZqQEKva8qaD9NF7Df/NbVr2PbcOcmG/o=",
            Map.of(
                    "text",
                    "2zZAz9l0IanZqQEKva8qaD9NF7Df/NbVr2PbcOcmG/o=".getBytes(StandardCharsets.UTF_8),
                    "decoded",
                    HexFormat.of().parseHex("db3640cfd97421a9d9a9010abdaf2a683f4d17b0dffcd6d5af63db70e7261bfa")),
            BLOCK,
            Map.of("text", BLOCK.getBytes(StandardCharsets.UTF_8)),
            // Decodes to BLOCK and a zero byte: one byte over the block, so hashed, not the same key as BLOCK.
            BLOCK_AND_ZERO,
            Map.of(
                    "text", BLOCK_AND_ZERO.getBytes(StandardCharsets.UTF_8),
                    "decoded", (BLOCK + "\0").getBytes(StandardCharsets.UTF_8)),
            // Decodes to BLOCK's SHA-256, which is not BLOCK's HMAC key (a 64-byte key is not hashed).
            "BeJRU8r60KuAGqtFVSzHpIEHY5wLGD75ir+46KRnN2Q=",
            Map.of(
                    "text",
                    "BeJRU8r60KuAGqtFVSzHpIEHY5wLGD75ir+46KRnN2Q=".getBytes(StandardCharsets.UTF_8),
                    "decoded",
                    HexFormat.of().parseHex("05e25153cafad0ab801aab45552cc7a48107639c0b183ef98abfb8e8a4673764")));

    private static final Map<String, String> WORDS =
            Map.of("text", "shared key read as plain text", "decoded", "shared key read as base64");

    record Key(String id, String text) {}

    @Provide
    Arbitrary<List<Key>> keys() {
        Arbitrary<String> texts = Arbitraries.of(List.copyOf(READINGS.keySet()));
        return texts.list().ofMinSize(1).ofMaxSize(8).map(list -> {
            List<Key> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(new Key("k" + i, list.get(i)));
            }
            return out;
        });
    }

    @Provide
    Arbitrary<byte[]> signingBytes() {
        List<byte[]> all = new ArrayList<>();
        READINGS.values().forEach(r -> all.addAll(r.values()));
        all.add("nobody's key".getBytes(StandardCharsets.UTF_8));
        return Arbitraries.of(all);
    }

    @Property(tries = 400)
    void theKeysThatVerifyAreExactlyThoseWithTheSigningBytes(
            @ForAll("keys") List<Key> keys,
            @ForAll("signingBytes") byte[] signedWith,
            @ForAll("signingBytes") byte[] before)
            throws Exception {
        byte[] body = "{\"id\":\"a\",\"type\":\"environment.push\"}".getBytes(StandardCharsets.UTF_8);
        List<VerificationKey> configured = new ArrayList<>();
        keys.forEach(k -> configured.add(VerificationKey.sharedKey(k.id(), k.text(), true)));
        // An earlier delivery, signed some other way, moves the verifier's preferred reading.
        SignatureVerifier.verifySignature(KeyReadingsTest.independentSign(before, body), body, configured);

        String signature = KeyReadingsTest.independentSign(signedWith, body);
        Verification v = SignatureVerifier.verifySignature(signature, body, configured);

        Set<String> expectedIds = new TreeSet<>();
        Set<String> expectedReadings = new LinkedHashSet<>();
        for (Key k : keys) {
            for (Map.Entry<String, byte[]> r : READINGS.get(k.text()).entrySet()) {
                if (KeyReadingsTest.independentSign(r.getValue(), body).equals(signature)) {
                    expectedIds.add(k.id());
                    expectedReadings.add(r.getKey());
                }
            }
        }
        if (expectedIds.isEmpty()) {
            assertEquals(Verification.Status.INVALID, v.status(), v::toString);
            return;
        }
        assertEquals(Verification.Status.VERIFIED, v.status(), v::toString);
        assertEquals(expectedIds, new TreeSet<>(v.keyIds()));
        for (String reading : List.of("decoded", "text")) {
            assertEquals(
                    expectedReadings.contains(reading),
                    v.reason().contains(WORDS.get(reading)),
                    () -> "reading " + reading + " in: " + v.reason());
        }
    }
}

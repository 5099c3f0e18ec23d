package io.jenkins.plugins.platformsh.delivery.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureVerifierTest {

    private static final byte[] BODY = Fixtures.utf8("{\"id\":\"a\",\"type\":\"environment.push\"}");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private static String header(String json) {
        return B64URL.encodeToString(json.getBytes(StandardCharsets.US_ASCII));
    }

    /** A signature over BODY with an arbitrary protected header, computed independently of the class under test. */
    private static String signWith(String protectedJson, String key) throws Exception {
        String h = header(protectedJson);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(Base64.getUrlDecoder().decode(key), "HmacSHA256"));
        mac.update((h + ".").getBytes(StandardCharsets.US_ASCII));
        mac.update(BODY);
        return h + ".." + B64URL.encodeToString(mac.doFinal());
    }

    private static Verification check(String signature) {
        return SignatureVerifier.verifySignature(signature, BODY, Fixtures.globalKey());
    }

    @Test
    void ourOwnVectorVerifies() throws Exception {
        String sig = signWith("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}", Fixtures.KEY);
        assertEquals(sig, SignatureVerifier.sign(Fixtures.KEY, BODY));
        Verification v = check(sig);
        assertEquals(Verification.Status.VERIFIED, v.status());
        assertEquals(Set.of("global-key"), v.keyIds());
        assertTrue(v.global());
    }

    @Test
    void headerFieldOrderAndExtraNonCriticalFieldsAreFine() throws Exception {
        assertEquals(
                Verification.Status.VERIFIED,
                check(signWith("{\"crit\":[\"b64\"],\"b64\":false,\"alg\":\"HS256\",\"kid\":\"x\"}", Fixtures.KEY))
                        .status());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"alg\":\"none\",\"b64\":false,\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS512\",\"b64\":false,\"crit\":[\"b64\"]}",
                "{\"alg\":\"hs256\",\"b64\":false,\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":true,\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":false}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\",\"exp\"]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":\"b64\"}",
                "{\"alg\":\"HS256\",\"b64\":\"false\",\"crit\":[\"b64\"]}",
                "{\"alg\":[\"HS256\"],\"b64\":false,\"crit\":[\"b64\"]}",
                "[\"HS256\"]",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]} {}",
                "not json"
            })
    void protectedHeaderIsPinned(String protectedJson) throws Exception {
        // Correctly MACed with the right key, but a header we refuse: the sender never picks the algorithm.
        Verification v = check(signWith(protectedJson, Fixtures.KEY));
        assertEquals(Verification.Status.INVALID, v.status(), protectedJson);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "abc", "abc.def.ghi", "abc..", "..abc", "abc...def", "a..b..c", "!!!..???"})
    void malformedHeadersAreInvalid(String sig) {
        assertEquals(Verification.Status.INVALID, check(sig).status());
    }

    @Test
    void wrongKeyWrongBodyAndTruncatedMacAreInvalid() throws Exception {
        String sig = SignatureVerifier.sign(Fixtures.KEY, BODY);
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verifySignature(
                                sig, BODY, List.of(VerificationKey.sharedKey("other", "b3RoZXIta2V5", true)))
                        .status());
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verifySignature(
                                sig,
                                Fixtures.utf8("{\"id\":\"b\",\"type\":\"environment.push\"}"),
                                Fixtures.globalKey())
                        .status());
        assertEquals(
                Verification.Status.INVALID,
                check(sig.substring(0, sig.length() - 2)).status());
    }

    @Test
    void standardAlphabetAndPaddingAreTolerated() {
        String sig = SignatureVerifier.sign(Fixtures.KEY, BODY);
        int sep = sig.indexOf("..");
        byte[] mac = Base64.getUrlDecoder().decode(sig.substring(sep + 2));
        String stdMac = Base64.getEncoder().encodeToString(mac); // '+', '/', '=' padding
        // The signing input is the header part exactly as sent, so only the MAC part may change alphabet.
        assertEquals(
                Verification.Status.VERIFIED,
                check(sig.substring(0, sep) + ".." + stdMac).status());
        // A shared key typed in the standard alphabet with padding is the same key.
        String stdKey =
                Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(Fixtures.KEY));
        assertEquals(
                Verification.Status.VERIFIED,
                SignatureVerifier.verifySignature(sig, BODY, List.of(VerificationKey.sharedKey("std", stdKey, true)))
                        .status());
    }

    @Test
    void everyKeyIsTriedForRotation() {
        String oldKey = "b2xkLWtleQ";
        String newKey = "bmV3LWtleQ";
        List<VerificationKey> both =
                List.of(VerificationKey.sharedKey("old", oldKey, true), VerificationKey.sharedKey("new", newKey, true));
        assertEquals(
                Set.of("old"),
                SignatureVerifier.verifySignature(SignatureVerifier.sign(oldKey, BODY), BODY, both)
                        .keyIds());
        assertEquals(
                Set.of("new"),
                SignatureVerifier.verifySignature(SignatureVerifier.sign(newKey, BODY), BODY, both)
                        .keyIds());
    }

    @Test
    void signedButNoSharedKeyConfigured() {
        Verification v = SignatureVerifier.verifySignature(
                SignatureVerifier.sign(Fixtures.KEY, BODY), BODY, List.of(VerificationKey.token("t", "tok", true)));
        assertEquals(Verification.Status.INVALID, v.status());
        assertTrue(v.reason().contains("no shared key"));
    }

    @Test
    void tokens() {
        List<VerificationKey> keys = List.of(
                VerificationKey.token("t1", "right-token", true), VerificationKey.token("t2", "job-token", false));
        assertEquals(
                Set.of("t1"), SignatureVerifier.verifyToken("right-token", keys).keyIds());
        assertTrue(SignatureVerifier.verifyToken("right-token", keys).global());
        Verification job = SignatureVerifier.verifyToken("job-token", keys);
        assertEquals(Set.of("t2"), job.keyIds());
        assertFalse(job.global());
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verifyToken("right-token ", keys).status());
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verifyToken("", keys).status());
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verifyToken("x", Fixtures.globalKey()).status());
    }

    @ParameterizedTest
    @CsvSource({
        "header,   , VERIFIED",
        "query,    , VERIFIED",
        "none,     , MISSING",
        "none,     unsigned, UNSIGNED",
        "wrong,    unsigned, INVALID"
    })
    void requestLevelChoice(String where, String policy, Verification.Status expected) {
        DeliveryRequest.Builder b = DeliveryRequest.builder().body(BODY);
        switch (where) {
            case "header" -> b.header("x-platformsh-token", "tok");
            case "query" -> b.query("token", "tok");
            case "wrong" -> b.query("token", "nope");
            default -> {}
        }
        Verification v = SignatureVerifier.verify(
                b.build(), BODY, List.of(VerificationKey.token("t", "tok", true)), "unsigned".equals(policy));
        assertEquals(expected, v.status());
    }

    @Test
    void aSignatureWinsOverAToken() {
        // A bad signature is never rescued by a good token: the sender meant to sign.
        DeliveryRequest r = DeliveryRequest.builder()
                .header("X-JWS-Signature", "garbage")
                .query("token", "tok")
                .build();
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verify(r, BODY, List.of(VerificationKey.token("t", "tok", true)), false)
                        .status());
    }

    @Test
    void repeatedSignatureHeadersAreRefused() {
        String sig = SignatureVerifier.sign(Fixtures.KEY, BODY);
        DeliveryRequest r = DeliveryRequest.builder()
                .header("X-JWS-Signature", sig)
                .header("x-jws-signature", sig)
                .build();
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verify(r, BODY, Fixtures.globalKey(), false).status());
    }

    @Test
    void keysValidateAndNeverPrintTheirSecret() {
        assertThrows(IllegalArgumentException.class, () -> VerificationKey.sharedKey("k", "", true));
        assertThrows(IllegalArgumentException.class, () -> VerificationKey.sharedKey("k", " \n\t", true));
        assertThrows(IllegalArgumentException.class, () -> VerificationKey.token("k", " ", true));
        assertTrue(VerificationKey.isValidSharedKey("secret"));
        assertTrue(VerificationKey.isValidSharedKey("my plain secret phrase!"), "any non-blank text is a key");
        assertTrue(VerificationKey.isValidSharedKey("a"));
        assertFalse(VerificationKey.isValidSharedKey(" "));
        assertFalse(VerificationKey.isValidSharedKey(null));
        assertTrue(VerificationKey.decodesAsBase64("c2VjcmV0"));
        assertFalse(VerificationKey.decodesAsBase64("my plain secret phrase!"));
        assertEquals(
                java.util.Set.of(VerificationKey.Reading.TEXT),
                VerificationKey.sharedKey("k", "not base64!", true).readings().keySet());
        assertEquals(
                java.util.Set.of(VerificationKey.Reading.DECODED, VerificationKey.Reading.TEXT),
                VerificationKey.sharedKey("k", "c2VjcmV0", true).readings().keySet());
        assertFalse(
                VerificationKey.sharedKey("k", "c2VjcmV0", true)
                        .equals(VerificationKey.sharedKey("k", "c2VjcmV0=", true)),
                "same decoded bytes, different text: another key");
        assertTrue(VerificationKey.checkSharedKeyText("any text at all").isOk());
        assertTrue(VerificationKey.checkSharedKeyText(" \n").isError());
        assertEquals(
                Validation.Level.WARNING,
                VerificationKey.checkSharedKeyText("key\n").level(),
                "trailing white space is dropped: say so where the key is configured");
        VerificationKey k = VerificationKey.sharedKey("my-id", Fixtures.KEY, true);
        assertFalse(k.toString().contains(Fixtures.KEY));
        assertTrue(k.toString().contains("my-id"));
        assertEquals(k, VerificationKey.sharedKey("my-id", Fixtures.KEY, true));
        assertFalse(k.equals(VerificationKey.sharedKey("my-id", "b3RoZXI", true)));
    }
}

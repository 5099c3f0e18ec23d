package io.jenkins.plugins.platformsh.delivery.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** A credential has one role: a secret named as a shared key is never a token, nor a token a shared key. */
class KeyRolesTest {

    private static final byte[] BODY = "{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8);

    /** Signed as Platform.sh's Node example does, with the key text's own bytes; not the production derivation. */
    private static String signWithText(String key) throws Exception {
        String prot = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}".getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((prot + ".").getBytes(StandardCharsets.US_ASCII));
        return prot + ".." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(BODY));
    }

    private static Verification.Status withToken(List<VerificationKey> keys, String token) {
        DeliveryRequest r = DeliveryRequest.builder().query("token", token).build();
        return SignatureVerifier.verify(r, BODY, keys, false).status();
    }

    private static Verification.Status withSignature(List<VerificationKey> keys, String key) throws Exception {
        DeliveryRequest r = DeliveryRequest.builder()
                .header("X-JWS-Signature", signWithText(key))
                .build();
        return SignatureVerifier.verify(r, BODY, keys, false).status();
    }

    @Test
    void aSecretNamedAsASharedKeyIsNeverAcceptedAsAToken() throws Exception {
        List<VerificationKey> keys =
                List.of(NamedKey.sharedKey("job-key").toKey("1234", false).forTarget("job"));
        assertEquals(Verification.Status.INVALID, withToken(keys, "1234"), "?token=1234 must not pass");
        assertEquals(Verification.Status.VERIFIED, withSignature(keys, "1234"), "the signature still does");
    }

    @Test
    void aSecretNamedAsATokenIsNeverAcceptedAsASharedKey() throws Exception {
        List<VerificationKey> keys = List.of(NamedKey.token("job-token").toKey("s3cret-token", true));
        assertEquals(Verification.Status.VERIFIED, withToken(keys, "s3cret-token"));
        assertEquals(Verification.Status.INVALID, withSignature(keys, "s3cret-token"));
    }

    @Test
    void aBlankSecretGivesNoKey() {
        assertNull(NamedKey.sharedKey("k").toKey("  ", true));
        assertNull(NamedKey.token("k").toKey("", true));
        assertNull(NamedKey.token("k").toKey(null, true));
    }

    @Test
    void aVerificationCountsForANamedKeyOnlyInItsRole() throws Exception {
        // The same id named by one job in both roles (a trigger's shared key, a waiting step's token) gives two keys
        // with one ref: only the method tells which one verified.
        List<VerificationKey> keys = List.of(
                NamedKey.sharedKey("k").toKey("1234", false).forTarget("job"),
                NamedKey.token("k").toKey("1234", false).forTarget("job"));
        Verification byToken = SignatureVerifier.verify(
                DeliveryRequest.builder().query("token", "1234").build(), BODY, keys, false);
        assertEquals(Verification.Status.VERIFIED, byToken.status());
        assertEquals(false, byToken.verifiedWith(NamedKey.sharedKey("k"), "job"));
        assertEquals(true, byToken.verifiedWith(NamedKey.token("k"), "job"));

        Verification bySignature = SignatureVerifier.verify(
                DeliveryRequest.builder()
                        .header("X-JWS-Signature", signWithText("1234"))
                        .build(),
                BODY,
                keys,
                false);
        assertEquals(true, bySignature.verifiedWith(NamedKey.sharedKey("k"), "job"));
        assertEquals(false, bySignature.verifiedWith(NamedKey.token("k"), "job"));
        assertEquals(true, Verification.trusted(keys).verifiedWith(NamedKey.sharedKey("k"), "job"), "a dry run");
    }
}

package io.jenkins.plugins.platformsh.delivery.verify;

import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the {@code X-JWS-Signature} header (a JWS with a detached, unencoded payload, RFC 7797) or a token against
 * every configured key.
 *
 * <p>The protected header is pinned to {@code {"alg":"HS256","b64":false,"crit":["b64"]}}: any other algorithm, a
 * missing {@code b64:false}, a {@code crit} that is not exactly {@code ["b64"]}, or a member named twice is refused, so
 * a sender can never pick a weaker check; members we do not use are ignored ({@link ProtectedHeader} says exactly what
 * is accepted). MACs are compared with {@link MessageDigest#isEqual}. A forgery is tried against every reading of
 * every key; a correct signature stops the MACs at the first key that gives it (see {@link #verifySignature}), so
 * timing can tell its sender how far down the keys its own was, never how many bytes of a MAC matched.
 */
public final class SignatureVerifier {

    public static final String SIGNATURE_HEADER = "X-JWS-Signature";
    public static final String TOKEN_HEADER = "X-Platformsh-Token";
    public static final String TOKEN_PARAMETER = "token";
    private static final String HMAC = "HmacSHA256";
    private static final int MAX_HEADER_LENGTH = 4096;
    /** The protected header Platform.sh sends, encoded: recognised without parsing it again for every delivery. */
    private static final String CANONICAL_HEADER = java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}".getBytes(StandardCharsets.US_ASCII));
    /** Looking a Mac up costs more than a 14 KB MAC; one per thread, re-keyed for each use. */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(HMAC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    });

    /** The reading that verified the last delivery; a hint for the order only, never for the outcome. */
    private static volatile VerificationKey.Reading preferredReading = VerificationKey.Reading.DECODED;

    private static final List<VerificationKey.Reading> DECODED_FIRST =
            List.of(VerificationKey.Reading.DECODED, VerificationKey.Reading.TEXT);
    private static final List<VerificationKey.Reading> TEXT_FIRST =
            List.of(VerificationKey.Reading.TEXT, VerificationKey.Reading.DECODED);

    private static List<VerificationKey.Reading> readingOrder(VerificationKey.Reading first) {
        return first == VerificationKey.Reading.TEXT ? TEXT_FIRST : DECODED_FIRST;
    }

    public static final String NO_CREDENTIAL = "no X-JWS-Signature header and no token";

    private SignatureVerifier() {}

    /** Whether the request carries anything to verify: a signature header, or a token in a header or the query. */
    public static boolean carriesCredential(DeliveryRequest request) {
        return request.headerCount(SIGNATURE_HEADER) > 0
                || request.header(TOKEN_HEADER) != null
                || request.query(TOKEN_PARAMETER) != null;
    }

    public static Verification verify(
            DeliveryRequest request, byte[] body, List<VerificationKey> keys, boolean acceptUnsigned) {
        if (request.headerCount(SIGNATURE_HEADER) > 1) {
            return Verification.invalid("signature", "more than one X-JWS-Signature header");
        }
        String signature = request.header(SIGNATURE_HEADER);
        if (signature != null) {
            return verifySignature(signature.trim(), body, keys);
        }
        String token = request.header(TOKEN_HEADER);
        if (token == null) {
            token = request.query(TOKEN_PARAMETER);
        }
        if (token != null) {
            return verifyToken(token, keys);
        }
        if (acceptUnsigned) {
            return Verification.unsigned();
        }
        return Verification.missing(NO_CREDENTIAL);
    }

    /**
     * Null when the signature header (if any) is well formed, else why not: checked before the body is read, so a
     * malformed signature costs no read and no key lookup.
     */
    public static Verification checkShape(DeliveryRequest request) {
        if (request.headerCount(SIGNATURE_HEADER) > 1) {
            return Verification.invalid("signature", "more than one X-JWS-Signature header");
        }
        String signature = request.header(SIGNATURE_HEADER);
        return signature == null ? null : parse(signature.trim()).problem;
    }

    /** The parts of a detached JWS, or the reason it is not one we accept. */
    private record Parsed(String protectedPart, byte[] mac, Verification problem) {
        static Parsed invalid(String reason) {
            return new Parsed(null, null, Verification.invalid("signature", reason));
        }
    }

    private static Parsed parse(String signature) {
        if (signature.length() > MAX_HEADER_LENGTH) {
            return Parsed.invalid("X-JWS-Signature is too long");
        }
        int sep = signature.indexOf("..");
        if (sep <= 0 || sep + 2 >= signature.length() || signature.indexOf('.', sep + 2) >= 0) {
            return Parsed.invalid("X-JWS-Signature is not a detached JWS (header..signature)");
        }
        String protectedPart = signature.substring(0, sep);
        if (!protectedPart.equals(CANONICAL_HEADER)) {
            byte[] headerJson = Base64Lenient.decode(protectedPart);
            if (headerJson == null) {
                return Parsed.invalid("X-JWS-Signature header part is not base64url");
            }
            String headerProblem = ProtectedHeader.problem(headerJson);
            if (headerProblem != null) {
                return Parsed.invalid(headerProblem);
            }
        }
        byte[] mac = Base64Lenient.decode(signature.substring(sep + 2));
        if (mac == null || mac.length != 32) {
            return Parsed.invalid("X-JWS-Signature MAC is not a base64url HS256 value");
        }
        return new Parsed(protectedPart, mac, null);
    }

    public static Verification verifySignature(String signature, byte[] body, List<VerificationKey> keys) {
        Parsed parsed = parse(signature);
        if (parsed.problem() != null) {
            return parsed.problem();
        }
        String protectedPart = parsed.protectedPart();
        byte[] mac = parsed.mac();
        byte[] signingPrefix = (protectedPart + ".").getBytes(StandardCharsets.US_ASCII);
        List<VerificationKey> matched = new ArrayList<>();
        java.util.Set<VerificationKey.Reading> readingsThatMatched =
                java.util.EnumSet.noneOf(VerificationKey.Reading.class);
        // Jobs naming the same secret share one MAC: the cost grows with distinct secrets (at most two readings
        // each), not with jobs.
        Map<ByteBuffer, byte[]> macs = new HashMap<>();
        // Once one key gives the MAC, no key with other HMAC key bytes can (that would be an HMAC-SHA256 collision):
        // only keys equivalent to it for HMAC match too, and no further MAC is computed. A forgery matches nothing,
        // so it always pays for every reading of every key; only a sender who already signs correctly can time how
        // far the list went before its key.
        ByteBuffer matchedKey = null;
        VerificationKey.Reading first = preferredReading;
        int tried = 0;
        for (VerificationKey key : keys) {
            if (key.kind() != VerificationKey.Kind.SHARED_KEY) {
                continue;
            }
            tried++;
            boolean keyMatched = false;
            for (VerificationKey.Reading reading : readingOrder(first)) {
                byte[] material = key.readings().get(reading);
                if (material == null) {
                    continue;
                }
                ByteBuffer hmacKey = hmacKey(material);
                boolean same;
                if (matchedKey != null) {
                    same = MessageDigest.isEqual(matchedKey.array(), hmacKey.array());
                } else {
                    byte[] expected = macs.computeIfAbsent(hmacKey, k -> hmac(material, signingPrefix, body));
                    same = MessageDigest.isEqual(expected, mac);
                    if (same) {
                        matchedKey = hmacKey;
                    }
                }
                if (same) {
                    keyMatched = true;
                    readingsThatMatched.add(reading);
                }
            }
            if (keyMatched) {
                matched.add(key);
            }
        }
        if (readingsThatMatched.size() == 1) {
            // The sender's form is tried first next time: a valid delivery then costs one MAC per key before its own.
            preferredReading = readingsThatMatched.iterator().next();
        }
        if (tried == 0) {
            return Verification.invalid("signature", "the delivery is signed but no shared key is configured");
        }
        if (matched.isEmpty()) {
            return Verification.invalid("signature", "X-JWS-Signature does not match any configured shared key");
        }
        // Which reading matched is worth showing: it tells which form the sender used, which Platform.sh does not
        // document.
        return Verification.verified(
                matched,
                "signature",
                readingsThatMatched.stream()
                        .map(VerificationKey.Reading::description)
                        .collect(java.util.stream.Collectors.joining(" and ")));
    }

    /**
     * The bytes HMAC really keys with (RFC 2104): a key longer than the block of 64 bytes is its SHA-256, and the
     * block is padded with zeros, so trailing zero bytes change nothing. Two keys with the same such bytes give the
     * same MAC for every message ({@code secret} and {@code secret\0}, say); any other two, never in practice.
     */
    static ByteBuffer hmacKey(byte[] material) {
        byte[] k = material;
        if (k.length > 64) {
            try {
                k = MessageDigest.getInstance("SHA-256").digest(k);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 is required of every Java platform", e);
            }
        }
        int end = k.length;
        while (end > 0 && k[end - 1] == 0) {
            end--;
        }
        return ByteBuffer.wrap(java.util.Arrays.copyOf(k, end));
    }

    static Verification verifyToken(String token, List<VerificationKey> keys) {
        byte[] given = VerificationKey.digest(token.getBytes(StandardCharsets.UTF_8));
        List<VerificationKey> matched = new ArrayList<>();
        int tried = 0;
        for (VerificationKey key : keys) {
            if (key.kind() != VerificationKey.Kind.TOKEN) {
                continue;
            }
            tried++;
            if (MessageDigest.isEqual(key.material(), given)) {
                matched.add(key);
            }
        }
        if (tried == 0) {
            return Verification.invalid("token", "a token was sent but no token is configured");
        }
        if (matched.isEmpty()) {
            return Verification.invalid("token", "the token does not match any configured token");
        }
        return Verification.verified(matched, "token");
    }

    public static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = MACS.get();
            mac.init(new SecretKeySpec(key, HMAC)); // init resets any state a failed use could have left
            mac.update(prefix);
            mac.update(body);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    /**
     * The {@code X-JWS-Signature} value Platform.sh would send for this body and shared key, with the key read as base64
     * where it decodes (as the public test vector does), else as its text; for the docs' examples and administrators
     * who want to replay a delivery by hand.
     */
    public static String sign(String sharedKey, byte[] body) {
        VerificationKey key = VerificationKey.sharedKey("sign", sharedKey, false);
        byte[] material = key.readings()
                .getOrDefault(VerificationKey.Reading.DECODED, key.readings().get(VerificationKey.Reading.TEXT));
        return signWith(material, body);
    }

    /** The same, with the key's text used as it is (UTF-8), as some of Platform.sh's examples verify. */
    public static String signWithKeyText(String sharedKey, byte[] body) {
        return signWith(
                VerificationKey.sharedKey("sign", sharedKey, false).readings().get(VerificationKey.Reading.TEXT), body);
    }

    private static String signWith(byte[] key, byte[] body) {
        byte[] mac = hmac(key, (CANONICAL_HEADER + ".").getBytes(StandardCharsets.US_ASCII), body);
        return CANONICAL_HEADER + ".."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }
}

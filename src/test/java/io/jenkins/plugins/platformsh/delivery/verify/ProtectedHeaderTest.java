package io.jenkins.plugins.platformsh.delivery.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the JWS protected header may be (issue 21, point 7): the three members Platform.sh sends with their exact
 * values, in any order and spacing, each once (at any depth), plus members we do not use and that {@code crit} does
 * not list. Every signature here is a valid HMAC-SHA256 computed with javax.crypto directly, so a refusal is about the
 * header alone.
 */
class ProtectedHeaderTest {

    /** The key as bytes, chosen here: not read through VerificationKey, which the class under test uses. */
    private static final byte[] KEY_BYTES = "protected-header-test-key-0123456789".getBytes(StandardCharsets.US_ASCII);

    private static final String KEY_TEXT =
            Base64.getUrlEncoder().withoutPadding().encodeToString(KEY_BYTES);
    private static final byte[] BODY = "{\"id\":\"h\",\"type\":\"environment.push\"}".getBytes(StandardCharsets.UTF_8);

    private static List<VerificationKey> keys() {
        return List.of(VerificationKey.sharedKey("k", KEY_TEXT, true));
    }

    private static String sign(byte[] headerJson) throws Exception {
        String h = Base64.getUrlEncoder().withoutPadding().encodeToString(headerJson);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY_BYTES, "HmacSHA256"));
        mac.update((h + ".").getBytes(StandardCharsets.US_ASCII));
        mac.update(BODY);
        return h + ".." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    }

    private static String sign(String headerJson) throws Exception {
        return sign(headerJson.getBytes(StandardCharsets.UTF_8));
    }

    private static Verification verify(String signature) {
        return SignatureVerifier.verifySignature(signature, BODY, keys());
    }

    /** What the endpoint asks before reading the body. */
    private static Verification shape(String signature) {
        return SignatureVerifier.checkShape(DeliveryRequest.builder()
                .header(SignatureVerifier.SIGNATURE_HEADER, signature)
                .contentLength(1L << 40)
                .build());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // The case of the review: "last wins" read it as HS256.
                "{\"alg\":\"none\",\"b64\":false,\"crit\":[\"b64\"],\"alg\":\"HS256\"}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"],\"alg\":\"none\"}",
                "{\"alg\":\"HS256\",\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":true,\"crit\":[\"b64\"],\"b64\":false}",
                "{\"alg\":\"HS256\",\"b64\":false,\"b64\":false,\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\",\"exp\"],\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"],\"crit\":[\"b64\"]}",
                // The same name spelt with a JSON escape is the same name.
                "{\"alg\":\"none\",\"b64\":false,\"crit\":[\"b64\"],\"\\u0061lg\":\"HS256\"}",
                // Twice in a member we do not read: still ambiguous JSON, refused at any depth.
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"],\"kid\":\"a\",\"kid\":\"b\"}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"],\"x\":{\"alg\":\"none\",\"alg\":\"HS256\"}}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"],\"x\":[1,{\"y\":[{\"a\":1,\"a\":2}]}]}",
                "{\"x\":{\"a\":{\"b\":{\"c\":1,\"c\":1}}},\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}"
            })
    void duplicateMembersAreRefusedBeforeTheBodyIsRead(String headerJson) throws Exception {
        String sig = sign(headerJson);
        Verification v = verify(sig);
        assertEquals(Verification.Status.INVALID, v.status(), headerJson);
        assertEquals("JWS header names a member more than once", v.reason(), headerJson);
        Verification early = shape(sig);
        assertNotNull(early, "refused from the headers alone: " + headerJson);
        assertEquals(v.reason(), early.reason());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"],\"kid\":\"key-2024\"}",
                "{\"kid\":\"k\",\"typ\":\"JOSE\",\"cty\":\"json\",\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"],\"x\":null,\"y\":1.5,\"z\":true}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"],\"x\":{\"a\":[{\"a\":1},{\"a\":2}],\"b\":{}}}",
                // The same name in two sibling objects is no duplicate.
                "{\"x\":{\"alg\":\"none\"},\"y\":{\"alg\":\"none\"},\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}",
                // Names that differ only by case are different names.
                "{\"alg\":\"HS256\",\"ALG\":\"none\",\"b64\":false,\"B64\":true,\"crit\":[\"b64\"]}"
            })
    void membersWeDoNotUseAreIgnoredWhenCritDoesNotListThem(String headerJson) throws Exception {
        Verification v = verify(sign(headerJson));
        assertEquals(Verification.Status.VERIFIED, v.status(), headerJson + ": " + v.reason());
        assertNull(shape(sign(headerJson)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"kid\"],\"kid\":\"x\"}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\",\"kid\"],\"kid\":\"x\"}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"kid\",\"b64\"],\"kid\":\"x\"}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\",\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"B64\"]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\",null]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[[\"b64\"]]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[{\"b64\":1}]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":null}"
            })
    void critListingAnythingButB64IsRefused(String headerJson) throws Exception {
        Verification v = verify(sign(headerJson));
        assertEquals(Verification.Status.INVALID, v.status(), headerJson);
        assertEquals("JWS crit must be [\"b64\"]", v.reason(), headerJson);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"alg\":\"HS256\",\"b64\":0,\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":null,\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":[false],\"crit\":[\"b64\"]}",
                "{\"alg\":\" HS256\",\"b64\":false,\"crit\":[\"b64\"]}",
                "{\"alg\":{\"alg\":\"HS256\"},\"b64\":false,\"crit\":[\"b64\"]}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"],}",
                "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}\n{}",
                "{'alg':'HS256','b64':false,'crit':['b64']}",
                "{alg:\"HS256\",b64:false,crit:[\"b64\"]}",
                "{\"alg\":\"HS256\",/* c */\"b64\":false,\"crit\":[\"b64\"]}",
                "\uFEFF{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}"
            })
    void wrongValuesAndJsonThatIsNotStrictAreRefused(String headerJson) throws Exception {
        assertEquals(Verification.Status.INVALID, verify(sign(headerJson)).status(), headerJson);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE"})
    void theHeaderIsUtf8(String charset) throws Exception {
        // RFC 7515 section 5.2: the decoded header is UTF-8. Jackson alone would detect these encodings and read them.
        byte[] json = "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}".getBytes(Charset.forName(charset));
        assertEquals(Verification.Status.INVALID, verify(sign(json)).status(), charset);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"b64\":false,\"alg\":\"HS256\",\"crit\":[\"b64\"]}",
                " { \"alg\" : \"HS256\" , \"b64\" : false , \"crit\" : [ \"b64\" ] } ",
                "{\n\t\"alg\": \"HS256\",\r\n\t\"b64\": false,\r\n\t\"crit\": [\n\t\t\"b64\"\n\t]\n}\n",
                // Escapes are read as JSON reads them: the same values.
                "{\"alg\":\"HS\\u0032\\u0035\\u0036\",\"b64\":false,\"crit\":[\"\\u0062\\u0036\\u0034\"]}",
                "{\"\\u0061lg\":\"HS256\",\"b\\u0036\\u0034\":false,\"crit\":[\"b64\"]}"
            })
    void validJsonSpellingsOfTheSameHeaderAreAccepted(String headerJson) throws Exception {
        Verification v = verify(sign(headerJson));
        assertEquals(Verification.Status.VERIFIED, v.status(), headerJson + ": " + v.reason());
    }

    /** Any order of the three members and of extra ones, any JSON white space between tokens: accepted. */
    @Property(tries = 200)
    void anyOrderAndSpacingIsAccepted(@ForAll("headers") Tuple.Tuple2<List<String>, List<String>> header)
            throws Exception {
        String json = join(header.get1(), header.get2());
        Verification v = verify(sign(json));
        assertEquals(Verification.Status.VERIFIED, v.status(), json + ": " + v.reason());
    }

    /** The same headers with one member written twice (its value as is, or changed): always refused. */
    @Property(tries = 200)
    void anyRepeatedMemberIsRefused(
            @ForAll("headers") Tuple.Tuple2<List<String>, List<String>> header,
            @ForAll("indexes") int which,
            @ForAll boolean sameValue)
            throws Exception {
        List<String> members = new ArrayList<>(header.get1());
        String repeated = members.get(which % members.size());
        String name = repeated.substring(0, repeated.indexOf(':') + 1);
        members.add(
                (which / members.size()) % (members.size() + 1), sameValue ? repeated : name + "\"something else\"");
        String json = join(members, header.get2());
        Verification v = verify(sign(json));
        assertEquals(Verification.Status.INVALID, v.status(), json);
        assertTrue(v.reason().contains("more than once"), json + ": " + v.reason());
    }

    @Provide
    Arbitrary<Integer> indexes() {
        return Arbitraries.integers().between(0, 1000);
    }

    @Provide
    Arbitrary<Tuple.Tuple2<List<String>, List<String>>> headers() {
        Arbitrary<String> space = Arbitraries.of("", " ", "\t", "\n", "\r\n", "  \n\t ");
        Arbitrary<List<String>> extras = Arbitraries.of(
                        "\"kid\":\"k-1\"",
                        "\"typ\":\"JOSE\"",
                        "\"x-extra\":{\"a\":[1,2,{\"b\":null}]}",
                        "\"n\":12.5e3",
                        "\"e\":[]")
                .list()
                .uniqueElements()
                .ofMaxSize(3);
        Arbitrary<Long> seeds = Arbitraries.longs();
        return extras.flatMap(x -> seeds.flatMap(seed -> space.list().ofSize(64).map(spaces -> {
            List<String> members = new ArrayList<>(x);
            members.add(spaced("\"alg\"", ":", "\"HS256\"", spaces));
            members.add(spaced("\"b64\"", ":", "false", spaces));
            members.add(spaced("\"crit\"", ":", "[" + spaces.get(0) + "\"b64\"" + spaces.get(1) + "]", spaces));
            Collections.shuffle(members, new java.util.Random(seed));
            return Tuple.of(members, spaces);
        })));
    }

    private static String spaced(String name, String colon, String value, List<String> spaces) {
        return name + spaces.get(2) + colon + spaces.get(3) + value;
    }

    private static String join(List<String> members, List<String> spaces) {
        StringBuilder b = new StringBuilder(spaces.get(4)).append('{');
        for (int i = 0; i < members.size(); i++) {
            b.append(spaces.get(5 + i % 50)).append(members.get(i)).append(spaces.get(6 + i % 50));
            if (i < members.size() - 1) {
                b.append(',');
            }
        }
        return b.append('}').append(spaces.get(63)).toString();
    }
}

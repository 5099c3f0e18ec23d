package io.jenkins.plugins.platformsh.delivery.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void basicAuthVariablesAndLogAreRemoved() throws Exception {
        String out = Redactor.redact(Fixtures.bytes("push-2022.json"));
        assertFalse(out.contains("hunter2"), out);
        assertFalse(out.contains("s3cr3t-db"));
        assertFalse(out.contains("prod\""), "every variable value goes, not only sensitive ones");
        assertFalse(out.contains("should-not-matter-here"), "the log is dropped");
        JsonNode n = mapper.readTree(out);
        assertFalse(n.has("log"));
        assertEquals(
                "<redacted>",
                n.at("/payload/environment/http_access/basic_auth").asText());
        assertEquals(
                "<redacted>", n.at("/payload/deployment/http_access/basic_auth").asText());
        assertEquals(
                "env:DATABASE_PASSWORD",
                n.at("/payload/deployment/variables/0/name").asText(),
                "names stay");
        assertEquals("<redacted>", n.at("/payload/deployment/variables/0/value").asText());
        assertEquals("Jane Doe", n.at("/payload/user/display_name").asText(), "the rest is kept");
        assertEquals(
                "https://eu-5.platform.sh/api/projects/proj2022abcdefg/activities/act2022push01",
                n.at("/_links/self/href").asText());
        assertTrue(n.at("/_links/log").isObject(), "only the top-level log is dropped");
    }

    @Test
    void oldShapeCleartextPassword() {
        String out = Redactor.redact(Fixtures.bytes("push-2015.json"));
        assertFalse(out.contains("cleartext-password"));
    }

    @Test
    void variablesAsAnObjectAndSecretLookingFields() throws Exception {
        String body =
                "{\"id\":\"a\",\"type\":\"t\",\"payload\":{\"deployment\":{\"variables\":{\"env:TOKEN\":\"abc\",\"list\":[\"x\",1,null]}},"
                        + "\"integration\":{\"token\":\"ghp_xyz\",\"password\":{\"nested\":\"deep\"},\"secret\":null,\"shared_key\":\"k\"}}}";
        JsonNode n = mapper.readTree(Redactor.redact(Fixtures.utf8(body)));
        assertEquals(
                "<redacted>", n.at("/payload/deployment/variables/env:TOKEN").asText());
        assertEquals("<redacted>", n.at("/payload/deployment/variables/list/0").asText());
        assertEquals("<redacted>", n.at("/payload/deployment/variables/list/1").asText());
        assertTrue(n.at("/payload/deployment/variables/list/2").isNull());
        assertEquals("<redacted>", n.at("/payload/integration/token").asText());
        assertEquals("<redacted>", n.at("/payload/integration/password").asText());
        assertTrue(n.at("/payload/integration/secret").isNull(), "null reveals nothing");
        assertEquals("<redacted>", n.at("/payload/integration/shared_key").asText());
    }

    @Test
    void unicodeAndHtmlSurviveAsJson() throws Exception {
        String body = "{\"id\":\"a\",\"type\":\"t\",\"text\":\"<b>caf\u00e9</b> \ud83d\ude80 \\u0000\"}";
        JsonNode n = mapper.readTree(Redactor.redact(Fixtures.utf8(body)));
        assertEquals("<b>caf\u00e9</b> \ud83d\ude80 \u0000", n.get("text").asText());
    }

    @Test
    void numbersAreCopiedAsWrittenEvenAbsurdOnes() {
        String body =
                "{\"id\":\"x\",\"n\":1e99999999986400,\"m\":0.1000000000000000055511151231257827,\"k\":-0,\"big\":123456789012345678901234567890}";
        assertEquals(body, Redactor.redact(Fixtures.utf8(body)));
    }

    @Test
    void secretsOfIntegrationsAndVariableActivitiesWhateverTheirCase() throws Exception {
        String body = "{\"id\":\"a\",\"type\":\"environment.variable.create\",\"payload\":{"
                + "\"variable\":{\"name\":\"env:DB_PASS\",\"value\":\"v-secret\",\"is_sensitive\":true},"
                + "\"integration\":{\"routing_key\":\"pd-secret\",\"license_key\":\"nr-secret\",\"auth_token\":\"sl-secret\","
                + "\"app_credentials\":{\"key\":\"bb-key\",\"secret\":\"bb-secret\"},\"headers\":{\"Authorization\":\"Bearer h\"},"
                + "\"Password\":\"P1\",\"PASSWORD\":\"P2\",\"certificate\":{\"key\":\"-----BEGIN PRIVATE KEY-----\"}}}}";
        String out = Redactor.redact(Fixtures.utf8(body));
        for (String secret : new String[] {
            "v-secret",
            "pd-secret",
            "nr-secret",
            "sl-secret",
            "bb-key",
            "bb-secret",
            "Bearer h",
            "P1",
            "P2",
            "BEGIN PRIVATE KEY"
        }) {
            assertFalse(out.contains(secret), secret + " in " + out);
        }
        JsonNode n = mapper.readTree(out);
        assertEquals("env:DB_PASS", n.at("/payload/variable/name").asText(), "the variable's name stays");
        assertTrue(Redactor.isSecret("Client_Secret"));
        assertFalse(Redactor.isSecret("keyboard"));
        assertFalse(Redactor.isSecret("display_name"));
    }

    @Test
    void theLogGoesWithItsCommaWhereverItStands() {
        assertEquals("{}", Redactor.redact(Fixtures.utf8("{\"log\":\"x\"}")));
        assertEquals("{ \"id\":\"a\"}", Redactor.redact(Fixtures.utf8("{ \"log\" : [1,{\"a\":2}] , \"id\":\"a\"}")));
        assertEquals("{\"id\":\"a\"}", Redactor.redact(Fixtures.utf8("{\"id\":\"a\",\"log\":\"x\\n\\\"y\"}")));
        assertEquals(
                "{\"id\":\"a\", \"z\":1}", Redactor.redact(Fixtures.utf8("{\"id\":\"a\", \"log\":null, \"z\":1}")));
        assertEquals(
                "{\"a\":{\"log\":1}}",
                Redactor.redact(Fixtures.utf8("{\"a\":{\"log\":1},\"log\":2}")),
                "only the top-level one");
        assertEquals("{\"k\":3}", Redactor.redact(Fixtures.utf8("{\"log\":1,\"log\":2,\"k\":3}")));
    }

    @Test
    void everythingElseIsCopiedByteForByte() {
        String body = "{\n  \"id\": \"a\",\n  \"text\": \"caf\\u00e9 \u00e9 <b>\",\n  \"n\": 1.50E+3\n}";
        assertEquals(body, Redactor.redact(Fixtures.utf8(body)), "escapes, spacing and number spellings as sent");
    }

    @Test
    void routesAreKeyedByTheirUrlAndItsCredentialsGoToo() throws Exception {
        // payload.deployment.routes is an object whose field names are the route URLs (issue 21, point 6).
        String body = "{\"id\":\"a\",\"payload\":{\"deployment\":{\"routes\":{"
                + "\"https://deploy:PASSWORD@main.example.com/\":{\"type\":\"upstream\",\"primary\":true},"
                + "\"https:\\/\\/u:pa\\u0073s@esc.example.com\\/\":{\"type\":\"upstream\"},"
                + "\"https://plain.example.com/?token=TOKEN\":{\"type\":\"redirect\"},"
                + "\"https://{default}/\":{\"type\":\"upstream\"}}}}}";
        String out = Redactor.redact(Fixtures.utf8(body));
        for (String secret : new String[] {"PASSWORD", "pass", "pa\\u0073s", "TOKEN"}) {
            assertFalse(out.contains(secret), secret + " in " + out);
        }
        JsonNode routes = mapper.readTree(out).at("/payload/deployment/routes");
        java.util.List<String> names = new java.util.ArrayList<>();
        routes.fieldNames().forEachRemaining(names::add);
        assertEquals(
                java.util.List.of(
                        "https://<redacted>@main.example.com/",
                        "https://<redacted>@esc.example.com/",
                        "https://plain.example.com/?token=<redacted>",
                        "https://{default}/"),
                names);
        assertTrue(routes.get("https://<redacted>@main.example.com/")
                .get("primary")
                .asBoolean());
        assertTrue(out.endsWith("\"https://{default}/\":{\"type\":\"upstream\"}}}}}"), "the rest as sent: " + out);
    }

    @Test
    void credentialsInsideAnyStringGoEvenWhenEscaped() throws Exception {
        // \/ and \u0040 are how a JSON encoder may write / and @: the secret is in the decoded text.
        String body =
                "{\"id\":\"a\",\"payload\":{\"integration\":{\"url\":\"https:\\/\\/jenkins.example.com\\/platformsh-webhook\\/?token=tok\\u0065n-1\"},"
                        + "\"environment\":{\"description\":\"db at mysql:\\/\\/app:pa\\u0073s\\u0040db.internal:3306\\/main, ask jane\\u0040example.com\"},"
                        + "\"list\":[\"https://u:p@h/\",1,\"plain\"]}}";
        String out = Redactor.redact(Fixtures.utf8(body));
        for (String secret : new String[] {"token-1", "tok\\u0065n-1", "pass", "pa\\u0073s", "u:p"}) {
            assertFalse(out.contains(secret), secret + " in " + out);
        }
        JsonNode n = mapper.readTree(out);
        assertEquals(
                "https://jenkins.example.com/platformsh-webhook/?token=<redacted>",
                n.at("/payload/integration/url").asText());
        assertEquals(
                "db at mysql://<redacted>@db.internal:3306/main, ask jane@example.com",
                n.at("/payload/environment/description").asText(),
                "an @ outside a URL stays");
        assertEquals("https://<redacted>@h/", n.at("/payload/list/0").asText());
        assertTrue(out.endsWith(",1,\"plain\"]}}"), "the rest is copied as sent: " + out);
    }

    @Test
    void aRewrittenStringStaysValidJsonWhateverItHolds() throws Exception {
        // Quotes, backslashes, controls, HTML, emoji and a lone surrogate, in the string that has to be re-encoded.
        String body = "{\"t\":\"<b>\\\"caf\u00e9\\\" \ud83d\ude80 \\\\ \\u0000\\n \\ud800 https://h/?key=k1&x=</b>\"}";
        String out = Redactor.redact(Fixtures.utf8(body));
        assertFalse(out.contains("k1"), out);
        assertEquals(
                "<b>\"caf\u00e9\" \ud83d\ude80 \\ \u0000\n \ud800 https://h/?key=<redacted>&x=</b>",
                mapper.readTree(out).get("t").asText());
    }

    @Test
    void aHugeStringWithTheSecretAtTheEnd() throws Exception {
        String filler = "caf\u00e9 @ = ; & ? # ".repeat(200_000); // 4.6 MB of near-misses
        String body = "{\"id\":\"a\",\"text\":\"" + filler + "https://deploy:hunter2@db/?api_key=K3Y\",\"n\":1}";
        String out = Redactor.redact(Fixtures.utf8(body));
        assertFalse(out.contains("hunter2"));
        assertFalse(out.contains("K3Y"));
        assertEquals(
                filler + "https://<redacted>@db/?api_key=<redacted>",
                mapper.readTree(out).get("text").asText());
    }

    @Test
    void secretFieldsAndTheLogAreUnaffectedByTheTextScan() throws Exception {
        String body =
                "{\"log\":\"https://u:p@h/?token=t\",\"token\":\"https://u:p@h/\",\"deployment\":{\"variables\":[\"x=https://u:p@h\"]}}";
        assertEquals(
                "{\"token\":\"<redacted>\",\"deployment\":{\"variables\":[\"<redacted>\"]}}",
                Redactor.redact(Fixtures.utf8(body)));
    }

    @Test
    void unreadableInputGivesAnEmptyObject() {
        assertEquals("{}", Redactor.redact(Fixtures.utf8("{\"a\":")));
        assertEquals("{}", Redactor.redact(new byte[0]));
    }
}

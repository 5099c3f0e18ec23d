package io.jenkins.plugins.platformsh.delivery.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.activity.FieldBounds;
import io.jenkins.plugins.platformsh.delivery.redact.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compact, bounded record a build keeps for platformshActivity(), and the view the step makes of it. */
class ActivityRecordTest {

    private static final String PUSH = "push-2022.json";

    private static Map<String, Object> expectedView(Activity a, String redacted) {
        return ActivityView.toMap(a, redacted);
    }

    @Test
    void theViewOfARecordIsTheActivityViewWithTheMarker() throws Exception {
        Activity a = Fixtures.parse(PUSH);
        String redacted = Redactor.redact(Fixtures.bytes(PUSH));
        ActivityRecord record = ActivityRecord.of(a, redacted);
        assertFalse(record.payloadTruncated());

        Map<String, Object> view = ActivityRecord.view(record.encoded());
        assertEquals(Boolean.FALSE, view.get(ActivityRecord.PAYLOAD_TRUNCATED));
        view.remove(ActivityRecord.PAYLOAD_TRUNCATED);
        assertEquals(expectedView(a, redacted), view);
        assertEquals(
                new java.util.ArrayList<>(expectedView(a, redacted).keySet()),
                new java.util.ArrayList<>(view.keySet()),
                "same order as the step always gave");
        assertNull(ActivityRecord.note(ActivityRecord.view(record.encoded())));
    }

    @Test
    void theRecordIsOneCompactStringWithNothingXmlMustEscape() throws Exception {
        Activity a = Fixtures.parse(PUSH);
        String redacted = Redactor.redact(Fixtures.bytes(PUSH));
        String encoded = ActivityRecord.of(a, redacted).encoded();
        // Fields and payload together, smaller than the payload alone: build.xml stays under the body plus 4 KiB.
        assertTrue(
                encoded.length() < redacted.length() * 3 / 4,
                encoded.length() + " characters for " + redacted.length() + " of redacted payload");
        assertTrue(
                encoded.chars().noneMatch(c -> c == '"' || c == '&' || c == '<' || c == '>' || c == '\'' || c == '\n'),
                "build.xml stores it as it is");
        assertFalse(encoded.contains("hunter2"));
    }

    @Test
    void eachViewIsAFreshCopyOfPlainSerializableValues() throws Exception {
        Activity a = Fixtures.parse(PUSH);
        String encoded =
                ActivityRecord.of(a, Redactor.redact(Fixtures.bytes(PUSH))).encoded();
        Map<String, Object> first = ActivityRecord.view(encoded);
        first.put("environment", "changed by a script");
        ((Map<?, ?>) first.get("payload")).clear();
        Map<String, Object> second = ActivityRecord.view(encoded);
        assertNotSame(first, second);
        assertEquals("main", second.get("environment"));
        assertEquals("act2022push01", ((Map<?, ?>) second.get("payload")).get("id"));
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(second); // Pipeline keeps step results in its program state
        }
    }

    @Test
    void aPayloadOverTheBoundIsLeftOutAndMarked() throws Exception {
        Activity a = Fixtures.parse(PUSH);
        String big = bigPayload(ActivityRecord.MAX_JSON_BYTES + 1);
        ActivityRecord record = ActivityRecord.of(a, big);
        assertTrue(record.payloadTruncated());
        assertTrue(
                record.encoded().length() < 4096,
                "the fields only: " + record.encoded().length());

        Map<String, Object> view = ActivityRecord.view(record.encoded());
        assertEquals(Boolean.TRUE, view.get(ActivityRecord.PAYLOAD_TRUNCATED));
        assertFalse(view.containsKey("payload"));
        assertEquals((long) big.length(), view.get(ActivityRecord.PAYLOAD_BYTES));
        assertEquals("main", view.get("environment"), "the parsed fields are all kept");
        assertEquals(expectedView(a, null).get("commits"), view.get("commits"));
        assertEquals("main", ((Map<?, ?>) view.get("variables")).get(Variables.ENVIRONMENT));
        String note = ActivityRecord.note(view);
        assertNotNull(note);
        assertTrue(
                note.contains(big.length() + " bytes") && note.contains("262,144") && note.contains("payloadTruncated"),
                note);
    }

    @Test
    void theBoundIsOnTheWholeDocumentAndExact() throws Exception {
        Activity a = Fixtures.parse(PUSH);
        String payload = "{\"k\":\"" + "x".repeat(1000) + "\"}";
        int fieldsOnly = decodedLength(ActivityRecord.of(a, null, Integer.MAX_VALUE));
        int whole = decodedLength(ActivityRecord.of(a, payload, Integer.MAX_VALUE));
        assertFalse(ActivityRecord.of(a, payload, whole).payloadTruncated(), "at the bound: kept");
        assertTrue(ActivityRecord.of(a, payload, whole - 1).payloadTruncated(), "one byte over: left out");
        assertTrue(fieldsOnly < whole);
    }

    @Test
    void fieldsTooLargeForTheBoundAreCutAndSaidSo() throws Exception {
        byte[] body = fieldsOverTheBound("t\u00e9");
        Activity a = ActivityParser.parse(body);
        ActivityRecord record = ActivityRecord.of(a, Redactor.redact(body));
        assertTrue(record.payloadTruncated());
        // Bounded but for the variables, which the build's environment needs whole (PLATFORMSH_TEXT is the text).
        int variables = 4 * (FieldBounds.TEXT + FieldBounds.COMMIT_MESSAGE) + 4096;
        assertTrue(decodedLength(record) <= ActivityRecord.MAX_JSON_BYTES + variables, "" + decodedLength(record));

        Map<String, Object> view = ActivityRecord.view(record.encoded());
        assertEquals(Boolean.TRUE, view.get(ActivityRecord.FIELDS_TRUNCATED));
        assertFalse(view.containsKey("text"));
        assertFalse(view.containsKey("commits"));
        assertEquals("environment.push", view.get("type"));
        assertTrue(ActivityRecord.note(view).contains("fieldsTruncated"), ActivityRecord.note(view));
    }

    @Test
    void anOldBuildsMapBecomesARecordWithTheSameView() throws Exception {
        Activity a = Fixtures.parse(PUSH);
        Map<String, Object> old = expectedView(a, Redactor.redact(Fixtures.bytes(PUSH)));
        ActivityRecord record = ActivityRecord.fromView(old);

        Map<String, Object> view = ActivityRecord.view(record.encoded());
        assertEquals(Boolean.FALSE, view.remove(ActivityRecord.PAYLOAD_TRUNCATED));
        assertEquals(old, view);

        Map<String, Object> withoutPayload = expectedView(a, null);
        Map<String, Object> v2 =
                ActivityRecord.view(ActivityRecord.fromView(withoutPayload).encoded());
        assertEquals(Boolean.FALSE, v2.remove(ActivityRecord.PAYLOAD_TRUNCATED));
        assertEquals(withoutPayload, v2);
    }

    @Test
    void anUnreadableRecordSaysSoAndNeverThrows() {
        for (String bad : new String[] {null, "", "not a record", "z1:!!!", "z1:AAAA", "z1:eJyrrgUAAXUA+Q=="}) {
            Map<String, Object> view = ActivityRecord.view(bad);
            assertEquals(Map.of(), view.get("variables"), bad);
            assertEquals(Boolean.TRUE, view.get(ActivityRecord.PAYLOAD_TRUNCATED), bad);
            assertTrue(ActivityRecord.note(view).contains("could not be read"), bad);
            assertEquals(Map.of(), ActivityRecord.variables(bad), bad);
        }
    }

    @Test
    void theVariablesAreKeptWholeAndInOrderWhateverIsCut() throws Exception {
        Activity a = Fixtures.parse(PUSH);
        ActivityRecord record = ActivityRecord.of(a, Redactor.redact(Fixtures.bytes(PUSH)));
        assertEquals(
                new java.util.ArrayList<>(Variables.of(a).entrySet()),
                new java.util.ArrayList<>(
                        ActivityRecord.variables(record.encoded()).entrySet()));

        byte[] body = fieldsOverTheBound("x");
        Activity big = ActivityParser.parse(body);
        String cut = ActivityRecord.of(big, Redactor.redact(body)).encoded();
        assertEquals(Boolean.TRUE, ActivityRecord.view(cut).get(ActivityRecord.FIELDS_TRUNCATED));
        assertEquals(Variables.of(big), ActivityRecord.variables(cut), "the build's environment is never cut");
        assertEquals("x".repeat(FieldBounds.TEXT), ActivityRecord.variables(cut).get(Variables.TEXT));
    }

    /**
     * A push whose fields alone are over {@link ActivityRecord#MAX_JSON_BYTES}: its text, and as many commits as are
     * kept, each with a message, at their bounds (the parser bounds each value, not their sum).
     */
    private static byte[] fieldsOverTheBound(String unit) {
        String text = unit.repeat(FieldBounds.TEXT / unit.length());
        String message = unit.repeat(FieldBounds.COMMIT_MESSAGE / unit.length());
        StringBuilder commits = new StringBuilder("\"commits\": [");
        for (int i = 0; i < FieldBounds.COMMITS; i++) {
            commits.append(i == 0 ? "" : ",")
                    .append("{\"sha\": \"")
                    .append(String.format("%040x", i))
                    .append("\", \"message\": \"")
                    .append(message)
                    .append("\"}");
        }
        String json = Fixtures.text(PUSH)
                .replace("\"Jane Doe pushed to Main\"", "\"" + text + "\"")
                .replace("\"commits\": [", commits + ", ");
        assertTrue(json.length() > ActivityRecord.MAX_JSON_BYTES);
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPayloadThatIsNotOneJsonValueIsStoredAsEmpty() throws Exception {
        Activity a = Fixtures.parse(PUSH);
        for (String bad : new String[] {"{\"a\":1} {\"b\":2}", "{\"a\":", ""}) {
            Map<String, Object> view =
                    ActivityRecord.view(ActivityRecord.of(a, bad).encoded());
            assertEquals(new LinkedHashMap<>(), view.get("payload"), bad);
            assertEquals("main", view.get("environment"), bad);
        }
    }

    /** A JSON object of exactly {@code bytes} bytes. */
    private static String bigPayload(int bytes) {
        String head = "{\"big\":\"";
        String tail = "\"}";
        return head + "y".repeat(bytes - head.length() - tail.length()) + tail;
    }

    private static int decodedLength(ActivityRecord r) throws Exception {
        byte[] z = java.util.Base64.getDecoder().decode(r.encoded().substring(3));
        try (var in = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(z))) {
            return in.readAllBytes().length;
        }
    }
}

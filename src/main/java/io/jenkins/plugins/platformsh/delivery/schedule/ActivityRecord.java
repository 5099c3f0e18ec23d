package io.jenkins.plugins.platformsh.delivery.schedule;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.text.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * What a build keeps of the activity that started it: the step's fields, the PLATFORMSH_* variables and the redacted
 * payload, as one JSON document ({@link ActivityView#toMap}), deflated and base64-encoded into one string.
 *
 * <p>One string because XStream writes a map as several elements per entry (7.4 times the body for the public push
 * sample; about 75 bytes of markup per variable), and compressed because even plain JSON text grows by five bytes
 * per quote in build.xml ({@code &quot;}). Bounded: a payload over {@link #MAX_JSON_BYTES} is left out and the step
 * says so ({@code payloadTruncated}); the variables are always kept whole. Parsed back only when asked.
 */
public final class ActivityRecord {

    /** The most JSON a build keeps of one activity, before compression. */
    public static final int MAX_JSON_BYTES = 256 * 1024;

    /** Set, true or false, in every view; true when the payload was over the bound and is absent. */
    public static final String PAYLOAD_TRUNCATED = "payloadTruncated";
    /** Size of the redacted payload, in bytes of compact JSON; set when it was left out. */
    public static final String PAYLOAD_BYTES = "payloadBytes";
    /** True when even the fields were too large and the long ones were left out or cut. */
    public static final String FIELDS_TRUNCATED = "fieldsTruncated";

    /** Marks the encoding, so that a later one can be told apart in an old build.xml. */
    private static final String FORMAT = "z1:";

    private static final String VARIABLES = "variables";
    /** Fields left out, and the length strings are cut to, when the fields alone are over the bound. */
    private static final List<String> LONG_FIELDS = List.of("commits", "routes", "text", "description");

    private static final int CUT_STRINGS_TO = 1024;
    /** Guards decoding against a corrupted or hand-edited build.xml. */
    private static final int MAX_DECODED_BYTES = 64 * 1024 * 1024;

    private final String encoded;
    private final boolean payloadTruncated;

    private ActivityRecord(String encoded, boolean payloadTruncated) {
        this.encoded = encoded;
        this.payloadTruncated = payloadTruncated;
    }

    /** The record of one delivery, from its activity and its redacted payload (null when there is none). */
    public static ActivityRecord of(Activity activity, String redactedPayload) {
        return of(activity, redactedPayload, MAX_JSON_BYTES);
    }

    static ActivityRecord of(Activity activity, String redactedPayload, int maxJsonBytes) {
        Map<String, Object> fields = ActivityView.toMap(activity, null);
        return bounded(fields, redactedPayload == null ? null : compact(redactedPayload), maxJsonBytes);
    }

    /**
     * The record of a build stored before records existed, from the map its action kept ({@link ActivityView#toMap}
     * with the payload parsed), so that {@code platformshActivity()} in a replayed or resumed build still works.
     */
    public static ActivityRecord fromView(Map<String, Object> view) {
        Map<String, Object> fields = new LinkedHashMap<>(view);
        Object payload = fields.remove("payload");
        byte[] payloadJson = payload == null ? null : write(g -> writeValue(g, payload));
        return bounded(fields, payloadJson, MAX_JSON_BYTES);
    }

    private static ActivityRecord bounded(Map<String, Object> fields, byte[] payloadJson, int maxJsonBytes) {
        int payloadBytes = payloadJson == null ? 0 : payloadJson.length;
        if (payloadJson != null && payloadBytes <= maxJsonBytes) {
            byte[] whole = document(fields, payloadJson, payloadBytes, false);
            if (whole.length <= maxJsonBytes) {
                return new ActivityRecord(encode(whole), false);
            }
        }
        boolean truncated = payloadJson != null;
        byte[] withoutPayload = document(fields, null, payloadBytes, false);
        if (withoutPayload.length <= maxJsonBytes) {
            return new ActivityRecord(encode(withoutPayload), truncated);
        }
        Map<String, Object> shortFields = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (VARIABLES.equals(k)) {
                shortFields.put(k, v); // the build's environment: never cut
            } else if (!LONG_FIELDS.contains(k)) {
                shortFields.put(k, cut(v));
            }
        });
        return new ActivityRecord(encode(document(shortFields, null, payloadBytes, true)), truncated);
    }

    /** The string the build stores. */
    public String encoded() {
        return encoded;
    }

    public boolean payloadTruncated() {
        return payloadTruncated;
    }

    /**
     * What the step returns for a stored record: the fields with {@code variables}, the {@link #PAYLOAD_TRUNCATED}
     * marker and, unless it was left out, {@code payload}. Plain serializable values, a fresh copy on each call.
     * Never throws: an unreadable record gives empty variables and the markers only.
     */
    public static Map<String, Object> view(String encoded) {
        Object parsed = null;
        if (encoded != null && encoded.startsWith(FORMAT)) {
            try {
                parsed = ActivityView.parse(decode(encoded));
            } catch (IOException | IllegalArgumentException e) {
                parsed = null;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (parsed instanceof Map<?, ?> m && m.containsKey(PAYLOAD_TRUNCATED)) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else { // unreadable: say so the same way
            out.put(VARIABLES, new LinkedHashMap<String, String>());
            out.put(PAYLOAD_TRUNCATED, Boolean.TRUE);
            out.put("recordUnreadable", Boolean.TRUE);
        }
        return out;
    }

    /** The PLATFORMSH_* variables of a stored record, in their order; empty if it cannot be read. */
    public static Map<String, String> variables(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (view(encoded).get(VARIABLES) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v != null) {
                    out.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        return out;
    }

    /** The line the step writes to the build log when something was left out of the view; null when nothing was. */
    public static String note(Map<String, Object> view) {
        if (Boolean.TRUE.equals(view.get("recordUnreadable"))) {
            return "platformshActivity(): the activity record of this build could not be read; payloadTruncated is "
                    + "true and the other keys are absent.";
        }
        if (!Boolean.TRUE.equals(view.get(PAYLOAD_TRUNCATED))) {
            return null;
        }
        // The bound is on the whole record (fields plus payload), so a payload under it can still be left out.
        String note = "platformshActivity(): the activity's record with its redacted payload ("
                + view.get(PAYLOAD_BYTES) + " bytes of payload) was over the "
                + String.format(Locale.ROOT, "%,d", MAX_JSON_BYTES)
                + " bytes a build keeps, so payload is absent and payloadTruncated is true.";
        if (Boolean.TRUE.equals(view.get(FIELDS_TRUNCATED))) {
            note += " The fields were too large as well: " + String.join(", ", LONG_FIELDS)
                    + " are absent and long values are cut (fieldsTruncated is true).";
        }
        return note;
    }

    private static byte[] document(
            Map<String, Object> fields, byte[] payloadJson, int payloadBytes, boolean fieldsTruncated) {
        return write(g -> {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeBooleanField(PAYLOAD_TRUNCATED, payloadJson == null && payloadBytes > 0);
            if (payloadJson != null) {
                g.writeFieldName("payload");
                g.writeRawValue(new String(payloadJson, StandardCharsets.UTF_8));
            } else if (payloadBytes > 0) {
                g.writeNumberField(PAYLOAD_BYTES, payloadBytes);
            }
            if (fieldsTruncated) {
                g.writeBooleanField(FIELDS_TRUNCATED, true);
            }
            g.writeEndObject();
        });
    }

    /**
     * The payload as compact JSON: one streaming copy, which also proves it is one well-formed value before it is
     * embedded in the record. Redactor's output always is; "{}" if not.
     */
    private static byte[] compact(String json) {
        try (JsonParser p = Json.FACTORY.createParser(json.getBytes(StandardCharsets.UTF_8))) {
            if (p.nextToken() == null) {
                return "{}".getBytes(StandardCharsets.US_ASCII);
            }
            byte[] out = write(g -> g.copyCurrentStructure(p));
            return p.nextToken() == null ? out : "{}".getBytes(StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return "{}".getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static Object cut(Object v) {
        if (v instanceof String s && s.length() > CUT_STRINGS_TO) {
            int end = Character.isHighSurrogate(s.charAt(CUT_STRINGS_TO - 1)) ? CUT_STRINGS_TO - 1 : CUT_STRINGS_TO;
            return s.substring(0, end) + "\u2026";
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, x) -> copy.put(String.valueOf(k), cut(x)));
            return copy;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object x : l) {
                writeValue(g, x);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else {
            g.writeString(String.valueOf(v));
        }
    }

    private interface Writing {
        void to(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Writing w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            w.to(g);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static String encode(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, deflater)) {
            z.write(json);
        } catch (IOException e) {
            throw new IllegalStateException("compressing in memory failed", e);
        } finally {
            deflater.end();
        }
        return FORMAT + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static String decode(String encoded) throws IOException {
        byte[] z = Base64.getDecoder().decode(encoded.substring(FORMAT.length()));
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(z))) {
            byte[] json = in.readNBytes(MAX_DECODED_BYTES + 1);
            if (json.length > MAX_DECODED_BYTES) {
                throw new IOException("record over " + MAX_DECODED_BYTES + " bytes");
            }
            return new String(json, StandardCharsets.UTF_8);
        }
    }
}

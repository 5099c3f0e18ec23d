package io.jenkins.plugins.platformsh.delivery.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.text.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The records of the journal, one JSON object a line, told apart by {@code "r"}:
 *
 * <ul>
 *   <li>{@code {"r":"seen","s":[<share>...],"e":<digest>}}: the de-duplication memory remembered a delivery (written
 *       on the delivery's thread, before its answer);
 *   <li>{@code {"r":"forget","s":[<share>...],"e":[<digest>...]}}: it forgot one (a delivery that could not be queued);
 *   <li>{@code {"r":"entry","refused":<bool>,"entry":{...}}}: a log entry, new or changed (scheduling results, a note, a
 *       replay body kept or dropped), whole, in the form {@link StateFormat#entryToJson} gives it;
 *   <li>{@code {"r":"drop","id":<delivery id>}}: an entry left the log (past its size);
 *   <li>{@code {"r":"counters","sequence":<n>,"counters":{...}}}: the counters and the last delivery id, whole.
 * </ul>
 *
 * A share is a key's reference and an entry the digest of an activity's identity, as in {@code dedupe.json}: never a
 * key, a signature or a body as received.
 */
final class JournalFormat {

    static final String SEEN = "seen";
    static final String FORGET = "forget";
    static final String ENTRY = "entry";
    static final String DROP = "drop";
    static final String COUNTERS = "counters";

    private JournalFormat() {}

    static byte[] seen(List<String> shares, String entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 48 * shares.size());
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("r", SEEN);
            g.writeArrayFieldStart("s");
            for (String s : shares) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeStringField("e", entry);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not for a byte array
        }
        out.write('\n');
        return out.toByteArray();
    }

    static byte[] forget(List<String> shares, List<String> entries) {
        ObjectNode o = StateFormat.MAPPER.createObjectNode();
        o.put("r", FORGET);
        shares.forEach(o.putArray("s")::add);
        entries.forEach(o.putArray("e")::add);
        return line(o);
    }

    static byte[] entry(DeliveryLog.Entry e, boolean refused) {
        ObjectNode o = StateFormat.MAPPER.createObjectNode();
        o.put("r", ENTRY);
        o.put("refused", refused);
        o.set("entry", StateFormat.entryToJson(e));
        return line(o);
    }

    static byte[] drop(String deliveryId) {
        ObjectNode o = StateFormat.MAPPER.createObjectNode();
        o.put("r", DROP);
        o.put("id", deliveryId);
        return line(o);
    }

    static byte[] counters(Map<String, Long> counters, long sequence) {
        ObjectNode o = StateFormat.MAPPER.createObjectNode();
        o.put("r", COUNTERS);
        o.put("sequence", sequence);
        counters.forEach(o.putObject("counters")::put);
        return line(o);
    }

    private static byte[] line(ObjectNode o) {
        byte[] json = StateFormat.write(o);
        byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    /** One line read back; refused whole if it is not a record of this format (the journal is then set aside). */
    static JsonNode read(byte[] line) throws StateFormat.UnreadableStateException {
        JsonNode o;
        try {
            o = StateFormat.MAPPER.readTree(line);
        } catch (IOException | RuntimeException e) {
            throw new StateFormat.UnreadableStateException("a line that is not JSON");
        }
        if (o == null || !o.isObject() || StateFormat.text(o, "r") == null) {
            throw new StateFormat.UnreadableStateException("a line that is not a record");
        }
        return o;
    }

    /** The texts of an array field; non-texts are skipped. */
    static List<String> texts(JsonNode o, String field) {
        JsonNode a = o.get(field);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        if (a != null && a.isArray()) {
            a.forEach(n -> {
                if (n.isTextual()) {
                    out.add(n.asText());
                }
            });
        } else if (a != null && a.isTextual()) {
            out.add(a.asText());
        }
        return out;
    }
}

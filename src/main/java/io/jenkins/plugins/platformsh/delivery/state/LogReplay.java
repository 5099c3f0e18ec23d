package io.jenkins.plugins.platformsh.delivery.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log as the snapshot holds it, with the journal's records after it applied in order: by delivery id, so that a
 * record applied twice (a snapshot that already holds it) changes nothing. The result is read by the same code as a
 * snapshot ({@link StateFormat#restoreLog}).
 */
final class LogReplay {

    private final Map<String, JsonNode> deliveries = new LinkedHashMap<>();
    private final Map<String, JsonNode> refused = new LinkedHashMap<>();
    private JsonNode counters;
    private long sequence;

    /** {@code snapshot}: the root of {@code deliveries.json}, or null when there is none (or it was set aside). */
    LogReplay(JsonNode snapshot) {
        if (snapshot == null) {
            return;
        }
        add(snapshot.get("deliveries"), deliveries);
        add(snapshot.get("refused"), refused);
        counters = snapshot.get("counters");
        JsonNode seq = snapshot.get("sequence");
        sequence = seq != null && seq.canConvertToLong() ? seq.asLong() : 0;
    }

    private static void add(JsonNode array, Map<String, JsonNode> into) {
        if (array != null && array.isArray()) {
            for (JsonNode e : array) {
                String id = e.isObject() ? StateFormat.text(e, "id") : null;
                if (id != null) {
                    into.put(id, e);
                }
            }
        }
    }

    /** Applies one log record of the journal; returns false for a record that is not one. */
    boolean apply(JsonNode record) {
        String kind = StateFormat.text(record, "r");
        if (JournalFormat.ENTRY.equals(kind)) {
            JsonNode e = record.get("entry");
            String id = e == null || !e.isObject() ? null : StateFormat.text(e, "id");
            if (id != null) {
                deliveries.remove(id);
                refused.remove(id);
                (record.path("refused").asBoolean(false) ? refused : deliveries).put(id, e);
            }
            return true;
        }
        if (JournalFormat.DROP.equals(kind)) {
            String id = StateFormat.text(record, "id");
            if (id != null) {
                deliveries.remove(id);
                refused.remove(id);
            }
            return true;
        }
        if (JournalFormat.COUNTERS.equals(kind)) {
            counters = record.get("counters");
            JsonNode seq = record.get("sequence");
            if (seq != null && seq.canConvertToLong()) {
                sequence = Math.max(sequence, seq.asLong());
            }
            return true;
        }
        return false;
    }

    boolean isEmpty() {
        return deliveries.isEmpty() && refused.isEmpty() && counters == null && sequence == 0;
    }

    /** A snapshot's root holding the result, entries newest first (ids are handed out in order). */
    ObjectNode root() {
        ObjectNode root = StateFormat.MAPPER.createObjectNode();
        root.put("format", StateFormat.VERSION);
        root.put("sequence", sequence);
        if (counters != null) {
            root.set("counters", counters);
        }
        root.set("deliveries", newestFirst(deliveries));
        root.set("refused", newestFirst(refused));
        return root;
    }

    private static ArrayNode newestFirst(Map<String, JsonNode> entries) {
        List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(entries.entrySet());
        sorted.sort(Comparator.comparingLong(
                (Map.Entry<String, JsonNode> e) -> -StateFormat.idNumber(e.getKey()))); // stable
        ArrayNode out = StateFormat.MAPPER.createArrayNode();
        sorted.forEach(e -> out.add(e.getValue()));
        return out;
    }
}

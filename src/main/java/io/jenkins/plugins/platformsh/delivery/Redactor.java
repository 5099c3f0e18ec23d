package io.jenkins.plugins.platformsh.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Set;

/**
 * Makes the copy of a payload that is stored with a build or shown to a person. Platform.sh payloads can carry
 * secrets: {@code http_access.basic_auth} (cleartext passwords in older shapes) and the values of
 * {@code deployment.variables}. Those are replaced by {@value #REDACTED}, as is any field whose name says it holds a
 * secret; the top-level {@code log} (long, and of no use in a build record) is dropped.
 */
public final class Redactor {

    public static final String REDACTED = "<redacted>";

    /** Fields whose whole value is a secret, wherever they appear. */
    static final Set<String> SECRET_FIELDS = Set.of("basic_auth", "password", "passwd", "secret", "token",
            "private_key", "api_key", "api_token", "access_token", "client_secret", "shared_key");

    private Redactor() {}

    /** The redacted JSON text of a body that {@link ActivityParser} accepted; "{}" if it cannot be copied. */
    public static String redact(byte[] body) {
        int offset = ActivityParser.hasBom(body) ? 3 : 0;
        StringWriter out = new StringWriter(Math.min(body.length, 1 << 20));
        try (JsonParser p = Json.FACTORY.createParser(body, offset, body.length - offset);
                JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return "{}";
            }
            copy(p, g, t, 0, false);
            g.flush();
            return out.toString();
        } catch (IOException | RuntimeException e) {
            // Only bodies the parser accepted get here; whatever this copy trips on, the build gets no payload
            // rather than an error.
            return "{}";
        }
    }

    private static void copy(JsonParser p, JsonGenerator g, JsonToken t, int depth, boolean inVariables)
            throws IOException {
        switch (t) {
            case START_OBJECT -> {
                g.writeStartObject();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (depth == 0 && name.equals("log")) {
                        p.skipChildren();
                        continue;
                    }
                    g.writeFieldName(name);
                    if (v != JsonToken.VALUE_NULL && SECRET_FIELDS.contains(name)) {
                        p.skipChildren();
                        g.writeString(REDACTED);
                    } else if (inVariables && v.isScalarValue() && v != JsonToken.VALUE_NULL && !name.equals("name")) {
                        g.writeString(REDACTED);
                    } else {
                        copy(p, g, v, depth + 1, inVariables || name.equals("variables"));
                    }
                }
                g.writeEndObject();
            }
            case START_ARRAY -> {
                g.writeStartArray();
                JsonToken v;
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (inVariables && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
                        g.writeString(REDACTED);
                    } else {
                        copy(p, g, v, depth + 1, inVariables);
                    }
                }
                g.writeEndArray();
            }
            // Numbers as the sender wrote them: never parsed, so never rounded, and 1e99999999 cannot blow up here.
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
            default -> g.copyCurrentEvent(p);
        }
    }
}

package io.jenkins.plugins.platformsh.delivery.redact;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.text.Json;
import io.jenkins.plugins.platformsh.delivery.text.SecretsInText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Makes the copy of a payload that is stored with a build or shown to a person. Platform.sh payloads can carry
 * secrets: {@code http_access.basic_auth} (cleartext passwords in older shapes) and the values of
 * {@code deployment.variables}. Those are replaced by {@value #REDACTED}, as is any field whose name says it holds a
 * secret, and, inside any other string, the credentials of a URL and secret query parameters; the top-level
 * {@code log} (long, and of no use in a build record) is dropped.
 *
 * <p>One streaming pass finds the byte ranges to replace; everything else is copied from the body as it is, bytes
 * and escapes and number spellings included, so the copy costs about one tokenising pass, not a re-encoding.
 */
public final class Redactor {

    public static final String REDACTED = SecretsInText.REDACTED;
    private static final byte[] REDACTED_JSON = ("\"" + REDACTED + "\"").getBytes(StandardCharsets.US_ASCII);

    /** Fields whose scalar values are all secret but {@code name}: environment and project variables. */
    private static final Set<String> VARIABLE_FIELDS = Set.of("variables", "variable");

    /**
     * The answers for the field names seen so far. Payloads repeat a few hundred names, which Jackson hands out as
     * the same strings: a lookup is cheaper than 15 case-insensitive comparisons. Only field names, and bounded
     * (emptied when full), so that a sender who invents names cannot grow it.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> KNOWN_NAMES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static final int MAX_KNOWN_NAMES = 4096;

    /** {@link #isSecret} for a field name of a payload: this runs for every field of every copy. */
    private static boolean isSecretField(String field) {
        Boolean known = KNOWN_NAMES.get(field);
        if (known != null) {
            return known;
        }
        boolean secret = isSecret(field);
        if (field.length() <= 64) {
            if (KNOWN_NAMES.size() >= MAX_KNOWN_NAMES) {
                KNOWN_NAMES.clear();
            }
            KNOWN_NAMES.put(field, secret);
        }
        return secret;
    }

    /** Whether a field's (or parameter's) whole value is a secret: the rule of {@link SecretsInText}. */
    static boolean isSecret(String field) {
        return SecretsInText.isSecretName(field);
    }

    private static boolean isVariables(String field) {
        for (String name : VARIABLE_FIELDS) {
            if (name.equalsIgnoreCase(field)) {
                return true;
            }
        }
        return false;
    }

    /** Replace {@code [start, end)} of the body by {@code with}. */
    private record Edit(int start, int end, byte[] with) {}

    private final JsonParser p;
    private final byte[] json;
    private final List<Edit> edits = new ArrayList<>();

    private Redactor(JsonParser p, byte[] json) {
        this.p = p;
        this.json = json;
    }

    /** The redacted JSON text of a body that {@link ActivityParser} accepted; "{}" if it cannot be copied. */
    public static String redact(byte[] body) {
        byte[] json = ActivityParser.hasBom(body) ? Arrays.copyOfRange(body, 3, body.length) : body;
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return "{}";
            }
            Redactor r = new Redactor(p, json);
            if (t == JsonToken.START_OBJECT) {
                r.topLevel();
            } else {
                r.value(t, false);
            }
            return r.apply(json, (int) p.currentLocation().getByteOffset());
        } catch (IOException | RuntimeException e) {
            // Only bodies the parser accepted get here; whatever this copy trips on, the build gets no payload
            // rather than an error.
            return "{}";
        }
    }

    /**
     * The top-level object: as any object, but its {@code log} member goes, with the comma that joined it. Only token
     * start offsets are used, so the (huge) log string is stepped over, never decoded.
     */
    private void topLevel() throws IOException {
        int dropFrom = -1; // start of the dropped member, until the next member (or the end) says where it ends
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int nameStart = offset(p.currentTokenLocation().getByteOffset());
            if (dropFrom >= 0) {
                edits.add(new Edit(dropFrom, nameStart, new byte[0])); // with its trailing comma
                dropFrom = -1;
            }
            String name = p.currentName();
            scrubName(name, nameStart);
            JsonToken v = p.nextToken();
            if (name.equals("log")) {
                p.skipChildren();
                dropFrom = nameStart;
            } else {
                member(name, v, false);
            }
        }
        if (dropFrom >= 0) {
            // The log was the last member: it goes with the comma before it, if any.
            int close = offset(p.currentTokenLocation().getByteOffset());
            int from = dropFrom;
            int k = dropFrom - 1;
            while (k > 0 && (json[k] == ' ' || json[k] == '\n' || json[k] == '\r' || json[k] == '\t')) {
                k--;
            }
            if (json[k] == ',') {
                from = k;
            }
            edits.add(new Edit(from, close, new byte[0]));
        }
    }

    private void member(String name, JsonToken v, boolean inVariables) throws IOException {
        if (v != JsonToken.VALUE_NULL && isSecretField(name)) {
            replaceValue(v);
        } else if (inVariables && v.isScalarValue() && v != JsonToken.VALUE_NULL && !name.equals("name")) {
            replaceValue(v);
        } else {
            value(v, inVariables || isVariables(name));
        }
    }

    private void value(JsonToken t, boolean inVariables) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    scrubName(name, -1);
                    member(name, p.nextToken(), inVariables);
                }
            }
            case START_ARRAY -> {
                JsonToken v;
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (inVariables && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
                        replaceValue(v);
                    } else {
                        value(v, inVariables);
                    }
                }
            }
            case VALUE_STRING -> scrubString();
            default -> {} // a scalar kept as it is
        }
    }

    /**
     * A string kept, but with any credentials of a URL or secret query parameter inside it replaced (see
     * {@link SecretsInText}). Only a string that holds one is re-encoded; the others stay as sent.
     */
    private void scrubString() throws IOException {
        int start = offset(p.currentTokenLocation().getByteOffset());
        if (!SecretsInText.mayHold(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
            return;
        }
        String text = p.getText();
        String scrubbed = SecretsInText.redact(text);
        if (scrubbed != text) {
            edits.add(new Edit(start, offset(p.currentLocation().getByteOffset()), JsonText.quote(scrubbed)));
        }
    }

    /**
     * A field name is text too: the routes of a deployment are keyed by their URL, credentials included. The name
     * keeps its place, with what {@link SecretsInText} finds in it replaced; it is only looked at when it may hold
     * one, since this runs for every field.
     *
     * @param knownStart where its literal starts, if the caller has it already; else -1
     */
    private void scrubName(String name, int knownStart) throws IOException {
        if (!SecretsInText.mayHold(name)) {
            return;
        }
        String scrubbed = SecretsInText.redact(name);
        if (scrubbed != name) {
            int start = knownStart >= 0
                    ? knownStart
                    : offset(p.currentTokenLocation().getByteOffset());
            edits.add(new Edit(start, literalEnd(start), JsonText.quote(scrubbed)));
        }
    }

    /** The end of the string literal that opens at {@code start} (its quote), escapes stepped over. */
    private int literalEnd(int start) {
        int k = start + 1;
        while (k < json.length && json[k] != '"') {
            k += json[k] == '\\' ? 2 : 1;
        }
        return Math.min(k + 1, json.length);
    }

    /** Replaces the value just read (any type) by the redaction marker. */
    private void replaceValue(JsonToken v) throws IOException {
        int start = offset(p.currentTokenLocation().getByteOffset());
        p.skipChildren();
        p.finishToken();
        edits.add(new Edit(start, offset(p.currentLocation().getByteOffset()), REDACTED_JSON));
    }

    private static int offset(long byteOffset) {
        if (byteOffset < 0 || byteOffset > Integer.MAX_VALUE) {
            throw new IllegalStateException("no byte offset");
        }
        return (int) byteOffset;
    }

    private String apply(byte[] json, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(end, 1 << 20));
        int at = skipWhitespace(json, 0);
        for (Edit e : edits) {
            out.write(json, at, e.start() - at);
            out.write(e.with(), 0, e.with().length);
            at = e.end();
        }
        out.write(json, at, end - at);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int skipWhitespace(byte[] b, int from) {
        int i = from;
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }
}

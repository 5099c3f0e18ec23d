package io.jenkins.plugins.platformsh.delivery.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.platformsh.delivery.text.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The check of a JWS protected header that is not byte for byte the one Platform.sh sends.
 *
 * <p>Accepted: one UTF-8 JSON object (RFC 8259, no byte order mark, comments, single quotes or trailing commas),
 * with {@code "alg":"HS256"}, {@code "b64":false} and {@code "crit":["b64"]}, compared as JSON values (so after JSON
 * unescaping, in any order and with any JSON white space), plus any other members, which are ignored: RFC 7515
 * (section 4) asks a recipient to ignore a member it does not understand unless {@code crit} lists it, and
 * Platform.sh might add one ({@code kid}, say). No object, at any depth, may name a member twice: RFC 7515 lets a
 * parser either refuse that or take the last one, and "last wins" let {@code "alg":"none"} hide behind a second
 * {@code alg}. The header part is at most 4096 characters (see {@link SignatureVerifier}) and nests at most
 * {@link Json#MAX_DEPTH} levels, so this costs at most a few thousand tokens.
 */
final class ProtectedHeader {

    static final String DUPLICATE = "JWS header names a member more than once";
    static final String NOT_UTF8 = "JWS header is not UTF-8";
    static final String NOT_JSON = "JWS header is not JSON";
    static final String NOT_OBJECT = "JWS header is not one JSON object";
    static final String ALG = "JWS algorithm must be HS256";
    static final String B64 = "JWS header must declare an unencoded payload (b64: false)";
    static final String CRIT = "JWS crit must be [\"b64\"]";

    /** Stands for an open array on the stack of open values: arrays have no names to repeat. */
    private static final Set<String> ARRAY = Set.of();

    private ProtectedHeader() {}

    /** Null when the decoded header is one we accept, else why not. */
    static String problem(byte[] json) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json))
                    .toString();
        } catch (CharacterCodingException e) {
            return NOT_UTF8;
        }
        String alg = null;
        boolean b64False = false;
        List<String> crit = null;
        // One pass over the tokens: the names of every open object (a stack, for the duplicate check at any depth),
        // and the values of the top-level members we read. The "last wins" of a reader that keeps a value per name
        // cannot happen: a second name stops the pass.
        ArrayDeque<Set<String>> open = new ArrayDeque<>();
        String member = null;
        try (JsonParser p = Json.FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                return NOT_OBJECT;
            }
            while (t != null) {
                int depth = open.size();
                switch (t) {
                    case FIELD_NAME -> {
                        if (!open.peek().add(p.currentName())) {
                            return DUPLICATE;
                        }
                        if (depth == 1) {
                            member = p.currentName();
                        }
                    }
                    case START_OBJECT -> open.push(new HashSet<>());
                    case START_ARRAY -> open.push(ARRAY);
                    case END_OBJECT, END_ARRAY -> open.pop();
                    default -> {}
                }
                if (depth == 1 && t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT) {
                    // The value of a top-level member (a scalar, or where an object or array starts).
                    switch (member) {
                        case "alg" -> alg = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        case "b64" -> b64False = t == JsonToken.VALUE_FALSE;
                        case "crit" -> crit = t == JsonToken.START_ARRAY ? new ArrayList<>() : null;
                        default -> {}
                    }
                } else if (depth == 2 && crit != null && "crit".equals(member) && t != JsonToken.END_ARRAY) {
                    // An element of crit; anything but a string (an array, an object, null...) spoils it.
                    crit.add(t == JsonToken.VALUE_STRING ? p.getText() : null);
                }
                if (open.isEmpty()) {
                    break;
                }
                t = p.nextToken();
            }
            if (!open.isEmpty()) {
                return NOT_JSON;
            }
            if (p.nextToken() != null) {
                return NOT_OBJECT;
            }
        } catch (IOException e) {
            return NOT_JSON;
        }
        if (!"HS256".equals(alg)) {
            return ALG;
        }
        if (!b64False) {
            return B64;
        }
        if (crit == null || !crit.equals(List.of("b64"))) {
            return CRIT;
        }
        return null;
    }
}

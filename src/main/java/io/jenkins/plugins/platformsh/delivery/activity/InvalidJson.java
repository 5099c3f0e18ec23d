package io.jenkins.plugins.platformsh.delivery.activity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.jenkins.plugins.platformsh.delivery.text.Json;
import java.io.IOException;

/**
 * Why a body {@link JsonCursor} refused is not one JSON object, in Jackson's words: the reasons a sender has always
 * been given (with a line and column), worked out only for bodies that are refused anyway.
 */
final class InvalidJson {

    private InvalidJson() {}

    /**
     * @param offset where the JSON starts (after any byte order mark)
     * @param stopped where the cursor stopped, for the rare body Jackson takes and the cursor does not
     */
    static MalformedDeliveryException explain(byte[] body, int offset, int stopped) {
        // A copy has a table of names of its own: the shared one's history must not change the answer.
        try (JsonParser p = Json.FACTORY.copy().createParser(body, offset, body.length - offset)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new MalformedDeliveryException("the body is not a JSON object");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return new MalformedDeliveryException("the body has content after its JSON object");
            }
            // Jackson took what the cursor refuses on purpose (security.md, "What a body must be"): say where.
            return notValid(body, offset, stopped);
        } catch (StreamConstraintsException e) {
            return new MalformedDeliveryException("the body nests too deeply or has an oversized value");
        } catch (JsonProcessingException e) {
            return new MalformedDeliveryException(
                    "the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            return new MalformedDeliveryException("the body could not be read as JSON");
        }
    }

    /** The line and column (from 1, in bytes) where the cursor stopped; lines end as Jackson's do (LF, CR, CR LF). */
    private static MalformedDeliveryException notValid(byte[] body, int offset, int stopped) {
        int line = 1;
        int lineStart = offset;
        for (int i = offset; i < Math.min(stopped, body.length); i++) {
            boolean crBeforeLf = body[i] == '\r' && i + 1 < body.length && body[i + 1] == '\n';
            if (body[i] == '\n' || (body[i] == '\r' && !crBeforeLf)) {
                line++;
                lineStart = i + 1;
            }
        }
        return new MalformedDeliveryException(
                "the body is not valid JSON (line " + line + ", column " + (stopped - lineStart + 1) + ")");
    }
}

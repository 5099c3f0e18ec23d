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

    static MalformedDeliveryException explain(byte[] body, int offset) {
        try (JsonParser p = Json.FACTORY.createParser(body, offset, body.length - offset)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new MalformedDeliveryException("the body is not a JSON object");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return new MalformedDeliveryException("the body has content after its JSON object");
            }
            // Jackson took what the cursor refused: never seen in JsonCursorTest, but say so rather than guess.
            return new MalformedDeliveryException("the body is not valid JSON");
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
}

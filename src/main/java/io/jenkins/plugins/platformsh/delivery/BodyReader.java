package io.jenkins.plugins.platformsh.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request body through a size bound. A body past the bound is refused as soon as the bound is crossed (or
 * at once when Content-Length says so), so memory never grows past the limit whatever the sender streams.
 */
final class BodyReader {

    private static final int CHUNK = 64 * 1024;

    private BodyReader() {}

    /** Thrown when the body is larger than allowed. */
    static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("body larger than " + limit + " bytes", null, false, false);
        }
    }

    static byte[] read(InputStream in, long declaredLength, long limit) throws IOException, TooLargeException {
        if (declaredLength > limit) {
            throw new TooLargeException(limit);
        }
        if (declaredLength >= 0) {
            // Trust the declared length only as a size hint: a liar gets cut at the limit all the same.
            byte[] exact = in.readNBytes((int) declaredLength);
            if (exact.length == declaredLength) {
                int more = in.read();
                if (more < 0) {
                    return exact;
                }
                return readChunks(in, limit, exact, more);
            }
            return exact;
        }
        return readChunks(in, limit, new byte[0], -1);
    }

    private static byte[] readChunks(InputStream in, long limit, byte[] head, int nextByte)
            throws IOException, TooLargeException {
        List<byte[]> chunks = new ArrayList<>();
        long total = head.length;
        if (head.length > 0) {
            chunks.add(head);
        }
        if (nextByte >= 0) {
            chunks.add(new byte[] {(byte) nextByte});
            total++;
        }
        while (true) {
            if (total > limit) {
                throw new TooLargeException(limit);
            }
            int want = (int) Math.min(CHUNK, limit + 1 - total);
            byte[] chunk = in.readNBytes(want);
            if (chunk.length == 0) {
                break;
            }
            chunks.add(chunk);
            total += chunk.length;
        }
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return all;
    }
}

package io.jenkins.plugins.platformsh.delivery.receive;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a request body through a size bound. A body past the bound is refused as soon as the bound is crossed (or
 * at once when Content-Length says so), so memory never grows past the limit whatever the sender streams.
 *
 * <p>Bytes are read in place, never through an intermediate buffer. A declared length is trusted as a size hint up
 * to {@value #PREALLOCATE} bytes only: beyond that the array grows as bytes really arrive, so a sender cannot pin
 * the whole limit per connection by declaring it and sending nothing.
 */
public final class BodyReader {

    private static final int CHUNK = 64 * 1024;
    static final int PREALLOCATE = 1024 * 1024;

    private BodyReader() {}

    /** Thrown when the body is larger than allowed. */
    public static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("body larger than " + limit + " bytes", null, false, false);
        }
    }

    public static byte[] read(InputStream in, long declaredLength, long limit) throws IOException, TooLargeException {
        if (declaredLength > limit) {
            throw new TooLargeException(limit);
        }
        return declaredLength >= 0 ? readDeclared(in, declaredLength, limit) : readChunks(in, limit);
    }

    /** Grows towards the declared length (exact when the sender is honest), then past it only as far as the limit. */
    private static byte[] readDeclared(InputStream in, long declared, long limit)
            throws IOException, TooLargeException {
        byte[] buf = new byte[(int) Math.min(declared, PREALLOCATE)];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                int next = in.read();
                if (next < 0) {
                    return buf;
                }
                if (len + 1L > limit) {
                    throw new TooLargeException(limit);
                }
                long target = len < declared ? Math.min(declared, 2L * len) : 2L * len;
                buf = Arrays.copyOf(buf, (int) Math.max(len + 1L, Math.min(Math.max(target, 1), limit)));
                buf[len++] = (byte) next;
                continue;
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                return Arrays.copyOf(buf, len);
            }
            len += n;
        }
    }

    /**
     * Reads until the array is full or the stream ends, whatever each read hands out: a sender trickling a few bytes
     * at a time must not cost a chunk per read.
     */
    private static int fill(InputStream in, byte[] chunk) throws IOException {
        int off = 0;
        while (off < chunk.length) {
            int n = in.read(chunk, off, chunk.length - off);
            if (n < 0) {
                break;
            }
            off += n;
        }
        return off;
    }

    /** No declared length: fixed chunks, so a refused body costs at most the limit plus one chunk. */
    private static byte[] readChunks(InputStream in, long limit) throws IOException, TooLargeException {
        List<byte[]> chunks = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        long total = 0;
        while (true) {
            byte[] chunk = new byte[(int) Math.min(CHUNK, limit + 1 - total)];
            int n = fill(in, chunk);
            if (n > 0) {
                chunks.add(chunk);
                lengths.add(n);
                total += n;
            }
            if (total > limit) {
                throw new TooLargeException(limit);
            }
            if (n < chunk.length) {
                break; // fill() stops short only at the end of the stream
            }
        }
        if (chunks.size() == 1 && lengths.get(0) == chunks.get(0).length) {
            return chunks.get(0);
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            System.arraycopy(chunks.get(i), 0, all, at, lengths.get(i));
            at += lengths.get(i);
        }
        return all;
    }
}

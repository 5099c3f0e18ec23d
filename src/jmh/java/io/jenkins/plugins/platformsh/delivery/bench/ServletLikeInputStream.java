package io.jenkins.plugins.platformsh.delivery.bench;

import java.io.InputStream;

/**
 * A request body as a servlet container hands it over: it overrides only what a {@code ServletInputStream}
 * (Jetty's {@code HttpInput}, for instance) overrides ({@code read()}, {@code read(byte[], int, int)},
 * {@code available()}), so {@code readNBytes} and friends run the JDK's generic code exactly as they would on the real
 * request. Unlike {@code ByteArrayInputStream} it allocates nothing and is not synchronized. It serves {@code length}
 * bytes of a shared array, starting again from its beginning if the array is shorter.
 */
final class ServletLikeInputStream extends InputStream {

    private final byte[] data;
    private final long length;
    private long position;

    ServletLikeInputStream(byte[] data) {
        this(data, data.length);
    }

    ServletLikeInputStream(byte[] data, long length) {
        this.data = data;
        this.length = length;
    }

    @Override
    public int read() {
        if (position >= length) {
            return -1;
        }
        return data[(int) (position++ % data.length)] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (position >= length) {
            return -1;
        }
        int at = (int) (position % data.length);
        int n = (int) Math.min(Math.min(len, length - position), data.length - at);
        System.arraycopy(data, at, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, Math.min(length - position, data.length - position % data.length));
    }
}

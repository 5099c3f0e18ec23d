package io.jenkins.plugins.platformsh.delivery.receive;

/** The administrator's settings that a delivery is decided with. Immutable; each {@code with} returns a copy. */
public final class DeliverySettings {

    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_LOG_SIZE = 200;
    /** No sane activity is smaller; a smaller limit would refuse every delivery. */
    public static final long MIN_MAX_BODY_BYTES = 1024;
    /** Bodies are held in one array while verified and parsed. */
    public static final long MAX_MAX_BODY_BYTES = 256L * 1024 * 1024;

    public static final int MAX_LOG_SIZE = 10_000;
    /** Redacted bodies kept for replay, in all, in memory and on disk (about: counted in characters). */
    public static final long DEFAULT_REPLAY_BYTES = 16L * 1024 * 1024;

    /** At most 64 MiB: the whole store is rewritten (off the delivery path) whenever it changes, and read at start. */
    public static final long MAX_REPLAY_BYTES = 64L * 1024 * 1024;

    private final long maxBodyBytes;
    private final boolean acceptUnsigned;
    private final int logSize;
    private final long replayBytes;

    private DeliverySettings(long maxBodyBytes, boolean acceptUnsigned, int logSize, long replayBytes) {
        if (maxBodyBytes < MIN_MAX_BODY_BYTES || maxBodyBytes > MAX_MAX_BODY_BYTES) {
            throw new IllegalArgumentException("the body size limit must be between " + MIN_MAX_BODY_BYTES + " and "
                    + MAX_MAX_BODY_BYTES + " bytes");
        }
        if (logSize < 0 || logSize > MAX_LOG_SIZE) {
            throw new IllegalArgumentException("the delivery log size must be between 0 and " + MAX_LOG_SIZE);
        }
        if (replayBytes < 0 || replayBytes > MAX_REPLAY_BYTES) {
            throw new IllegalArgumentException(
                    "the replay storage must be between 0 and " + MAX_REPLAY_BYTES + " bytes");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.acceptUnsigned = acceptUnsigned;
        this.logSize = logSize;
        this.replayBytes = replayBytes;
    }

    /** 10 MiB bodies, signatures required, 200 deliveries remembered, 16 MiB of bodies kept for replay. */
    public static DeliverySettings defaults() {
        return new DeliverySettings(DEFAULT_MAX_BODY_BYTES, false, DEFAULT_LOG_SIZE, DEFAULT_REPLAY_BYTES);
    }

    public DeliverySettings withMaxBodyBytes(long bytes) {
        return new DeliverySettings(bytes, acceptUnsigned, logSize, replayBytes);
    }

    /** Accept deliveries with neither signature nor token. Off by default; meant for trials on a closed network. */
    public DeliverySettings withAcceptUnsigned(boolean accept) {
        return new DeliverySettings(maxBodyBytes, accept, logSize, replayBytes);
    }

    public DeliverySettings withLogSize(int size) {
        return new DeliverySettings(maxBodyBytes, acceptUnsigned, size, replayBytes);
    }

    /** How much redacted body text the delivery log keeps, in all, for replay; 0 keeps none. */
    public DeliverySettings withReplayBytes(long bytes) {
        return new DeliverySettings(maxBodyBytes, acceptUnsigned, logSize, bytes);
    }

    public long replayBytes() {
        return replayBytes;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public boolean acceptUnsigned() {
        return acceptUnsigned;
    }

    public int logSize() {
        return logSize;
    }
}

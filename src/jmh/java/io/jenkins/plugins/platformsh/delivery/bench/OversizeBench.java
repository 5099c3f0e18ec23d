package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.State;

/**
 * A body one byte over the default limit (10 MiB + 1), refused with 413. Run with the gc profiler: the interesting
 * number is {@code gc.alloc.rate.norm}, the bytes allocated per refused delivery.
 *
 * <ul>
 *   <li>{@link #streamed}: no Content-Length (chunked transfer): the body has to be read up to the limit to know.</li>
 *   <li>{@link #declared}: Content-Length says 10 MiB + 1: refused before a byte is read.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
// Allocation does not vary from fork to fork, but every benchmark of a verdict runs in three (the report's rule).
@Fork(3)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class OversizeBench {

    static final long LIMIT = DeliverySettings.DEFAULT_MAX_BODY_BYTES;

    /** 1 MiB of JSON-ish bytes, served over and over by the request stream up to 10 MiB + 1. */
    byte[] chunk;
    String signature;
    DeliveryService service;
    DeliverySettings settings;
    List<VerificationKey> keys;

    @Setup(Level.Trial)
    public void setUp() {
        chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        chunk[0] = '{';
        signature = SignatureVerifier.sign(Bodies.SHARED_KEY, chunk);
        service = new DeliveryService(new TriggerIndex());
        settings = DeliverySettings.defaults();
        keys = List.of(VerificationKey.sharedKey("k", Bodies.SHARED_KEY, true));
        for (Outcome o : new Outcome[] {streamed(), declared()}) {
            if (o.status() != 413) {
                throw new IllegalStateException("expected 413, got " + o);
            }
        }
    }

    private DeliveryRequest.Builder request() {
        return DeliveryRequest.builder()
                .header("Content-Type", "application/json")
                .header(SignatureVerifier.SIGNATURE_HEADER, signature)
                .body(new ServletLikeInputStream(chunk, LIMIT + 1));
    }

    @Benchmark
    public Outcome streamed() {
        return service.decide(request().build(), settings, keys);
    }

    @Benchmark
    public Outcome declared() {
        return service.decide(request().contentLength(LIMIT + 1).build(), settings, keys);
    }
}

package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an anonymous caller can make the endpoint spend with a body just under the 10 MiB limit: run with the gc and
 * CPU-time profilers ({@code gc.alloc.rate.norm}, {@code cpu.time.norm}).
 *
 * <ul>
 *   <li>{@link #unsigned}: no signature and no token (refused with 401). The key supplier builds 50 keys, standing in
 *       for the credentials lookup the adapter does when it is called.</li>
 *   <li>{@link #bogusSignatureOneKey}, {@link #bogusSignatureFiftyKeys}: a well-formed signature made with a key nobody
 *       configured (403): every configured key has to be tried over the whole body.</li>
 * </ul>
 * The keys are base64 text, so that the same benchmark runs against code that accepted only base64 keys.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class RefusalBench {

    static final long SIZE = DeliverySettings.DEFAULT_MAX_BODY_BYTES - 1024;

    byte[] chunk;
    String bogus;
    DeliveryService service;
    DeliverySettings settings;
    List<VerificationKey> oneKey;
    List<VerificationKey> fiftyKeys;

    @Setup(Level.Trial)
    public void setUp() {
        chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        chunk[0] = '{';
        byte[] whole = new byte[(int) SIZE];
        for (int i = 0; i < whole.length; i += chunk.length) {
            System.arraycopy(chunk, 0, whole, i, Math.min(chunk.length, whole.length - i));
        }
        bogus = SignatureVerifier.sign(key("nobody"), whole);
        service = new DeliveryService(new TriggerIndex());
        settings = DeliverySettings.defaults();
        oneKey = List.of(VerificationKey.sharedKey("k", key("k"), true));
        fiftyKeys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fiftyKeys.add(VerificationKey.sharedKey("k" + i, key("job-key-" + i), false).forTarget("job-" + i));
        }
        expect(401, unsigned());
        expect(403, bogusSignatureOneKey());
        expect(403, bogusSignatureFiftyKeys());
    }

    private static String key(String seed) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((seed + "-32-bytes-of-key-material-padding")
                .substring(0, 32).getBytes(StandardCharsets.US_ASCII));
    }

    private static void expect(int status, Outcome o) {
        if (o.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + o);
        }
    }

    private DeliveryRequest.Builder request() {
        return DeliveryRequest.builder().method("POST").header("Content-Type", "application/json")
                .body(new ServletLikeInputStream(chunk, SIZE));
    }

    @Benchmark
    public Outcome unsigned() {
        return service.decide(request().build(), settings, () -> List.copyOf(fiftyKeys));
    }

    @Benchmark
    public Outcome bogusSignatureOneKey() {
        return service.decide(request().header(SignatureVerifier.SIGNATURE_HEADER, bogus).build(), settings, oneKey);
    }

    @Benchmark
    public Outcome bogusSignatureFiftyKeys() {
        return service.decide(request().header(SignatureVerifier.SIGNATURE_HEADER, bogus).build(), settings, fiftyKeys);
    }
}

package io.jenkins.plugins.platformsh.delivery.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.activity.MalformedDeliveryException;
import io.jenkins.plugins.platformsh.delivery.redact.Redactor;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.State;

/**
 * Where the time of one delivery goes, step by step, with the public pieces of the package (and, for the steps that
 * are package-private, the JDK calls they make). Not part of the default report: run it with
 * {@code java -jar .ci/target/benchmarks.jar --anatomy} when a ratio moves and you want to know why.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class AnatomyBench {

    @Param({"push-14k", "log-2m"})
    public String body;

    byte[] bytes;
    byte[] prefix;
    byte[] key;
    Mac reused;
    JsonFactory factory;
    Activity activity;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Bodies.Template push = Bodies.push();
        Bodies.Signed b = Bodies.pool(body.equals("push-14k") ? push : Bodies.large(push), 1)[0];
        bytes = b.bytes();
        prefix = (b.signature().substring(0, b.signature().indexOf("..")) + ".").getBytes(StandardCharsets.US_ASCII);
        key = Base64.getUrlDecoder().decode(Bodies.SHARED_KEY);
        reused = Mac.getInstance("HmacSHA256");
        reused.init(new SecretKeySpec(key, "HmacSHA256"));
        factory = new JsonFactory();
        activity = ActivityParser.parse(bytes);
    }

    /** What BodyReader does with a declared Content-Length: {@code InputStream.readNBytes(int)}. */
    @Benchmark
    public byte[] readNBytesOfLength() throws IOException {
        InputStream in = new ServletLikeInputStream(bytes);
        return in.readNBytes(bytes.length);
    }

    /** The alternative: one array of the declared length, filled in place. */
    @Benchmark
    public byte[] readIntoOneArray() throws IOException {
        InputStream in = new ServletLikeInputStream(bytes);
        byte[] out = new byte[bytes.length];
        in.readNBytes(out, 0, out.length);
        return out;
    }

    /** What SignatureVerifier does per key: a new Mac, initialised, then the MAC. */
    @Benchmark
    public byte[] hmacNewMac() throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(prefix);
        mac.update(bytes);
        return mac.doFinal();
    }

    /** The floor's half: the MAC with a Mac kept from one delivery to the next. */
    @Benchmark
    public byte[] hmacReusedMac() {
        reused.update(prefix);
        reused.update(bytes);
        return reused.doFinal();
    }

    /** The floor's other half: every token, strings stepped over. */
    @Benchmark
    public long tokens() throws IOException {
        long n = 0;
        try (JsonParser p = factory.createParser(bytes)) {
            while (p.nextToken() != null) {
                n++;
            }
        }
        return n;
    }

    @Benchmark
    public Activity parse() throws MalformedDeliveryException {
        return ActivityParser.parse(bytes);
    }

    @Benchmark
    public String redact() {
        return Redactor.redact(bytes);
    }

    @Benchmark
    public Map<String, String> variables() {
        return Variables.of(activity);
    }
}

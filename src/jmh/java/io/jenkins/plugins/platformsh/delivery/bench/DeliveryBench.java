package io.jenkins.plugins.platformsh.delivery.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.ParseContext;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * One delivery, three ways, on the same pool of signed bodies.
 *
 * <ul>
 *   <li>{@link #floor}: what any endpoint must do at least: HMAC-SHA256 of the body and a Jackson streaming pass that
 *       visits every token (strings are stepped over, not decoded: that is what {@code nextToken()} does).</li>
 *   <li>{@link #generic}: what a generic webhook plugin does per delivery: the same HMAC, then a Jackson tree of the
 *       whole body and one Jayway JsonPath query per variable (14 variables, paths compiled once).</li>
 *   <li>{@link #gwtLiteral}: what generic-webhook-trigger literally does: the body as a String, then
 *       {@code JsonPath.read(body, expression)} per variable, which parses the whole body again each time with the
 *       default json-smart provider (plus the same HMAC, which that plugin does not have, to compare like with
 *       like).</li>
 *   <li>{@link #ours}: {@link DeliveryService#decide} for real: read the stream, verify the X-JWS-Signature, parse,
 *       de-duplicate, match, variables, cause, delivery log.</li>
 *   <li>{@link #oursQueued}: the same, plus the redacted copy of the payload that the build queued for it keeps.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
// Three forks: one fork's JIT decisions move `ours` by 30%; the report runs them one at a time, in rounds, and judges
// the median of the per-fork ratios (docs/performance.md).
@Fork(3)
// The whole decision is a lot of code for the JIT: it takes a few seconds to settle (more on a busy machine).
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 4, time = 1)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DeliveryBench {

    /** The variables a generic webhook plugin would be configured with, as JSONPath. */
    static final List<String> GENERIC_PATHS = List.of(
            "$.id",
            "$._links.self.href",
            "$.type",
            "$.project",
            "$.parameters.environment",
            "$.payload.environment.machine_name",
            "$.payload.deployment.environment_info.reference",
            "$.parameters.new_commit",
            "$.parameters.old_commit",
            "$.payload.commits[0].message",
            "$.payload.commits[0].author.name",
            "$.state",
            "$.result",
            "$.payload.user.display_name");

    /** The bodies, the service under test and its configuration. */
    @State(Scope.Benchmark)
    public static class Deliveries {

        /** {@code push-14k}: the 2022 push shape; {@code log-2m}: the same activity with a 2 MB {@code log}. */
        @Param({"push-14k", "log-2m"})
        public String body;

        Bodies.Signed[] pool;
        byte[] signingPrefix;
        DeliveryService service;
        DeliverySettings settings;
        List<VerificationKey> keys;
        int next;
        String source;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            Bodies.Template push = Bodies.push();
            Bodies.Template t = body.equals("push-14k") ? push : Bodies.large(push);
            // Each body differs from the others by its activity id; the de-duplicator remembers fewer ids than the
            // pool holds, so by the time a body comes round again its id has been forgotten and it is decided as new.
            int poolSize = body.equals("push-14k") ? 16 : 4;
            pool = Bodies.pool(t, poolSize);
            source = t.source() + ", " + pool[0].bytes().length + " bytes, pool of " + poolSize;
            String sig = pool[0].signature();
            signingPrefix = (sig.substring(0, sig.indexOf("..")) + ".").getBytes(StandardCharsets.US_ASCII);

            Activity a = ActivityParser.parse(pool[0].bytes());
            service = new DeliveryService(triggers(a.project(), a.environment()), new Deduplicator(poolSize / 2),
                    new DeliveryLog(), Clock.systemUTC());
            settings = DeliverySettings.defaults();
            keys = List.of(VerificationKey.sharedKey("platformsh-shared-key", Bodies.SHARED_KEY, true));

            // The call under test must really accept: verified, new, one job matched, its variables computed.
            for (int i = 0; i < 2 * poolSize; i++) {
                Outcome o = decide(this);
                if (o.kind() != Outcome.Kind.ACCEPTED || o.schedules().size() != 1
                        || o.schedules().get(0).variables().size() < 14) {
                    throw new IllegalStateException("decide did not accept the body: " + o);
                }
            }
            System.out.println("\n[bench] " + body + ": " + source);
        }

        @TearDown(Level.Trial)
        public void check() {
            Map<String, Long> counters = service.log().counters();
            if (counters.size() != 1 || !counters.containsKey("accepted")) {
                throw new IllegalStateException("every delivery should have been accepted as new: " + counters);
            }
            System.out.println("[bench] outcomes: " + counters);
        }

        Bodies.Signed next() {
            Bodies.Signed b = pool[next];
            next = (next + 1) % pool.length;
            return b;
        }
    }

    /** A handful of jobs' triggers for the body's project, one of which matches it. */
    static TriggerIndex triggers(String project, String environment) {
        TriggerIndex index = new TriggerIndex();
        index.put("deploy-" + environment, TriggerSpec.builder().projects(project).environments(environment).build());
        index.put("deploy-staging", TriggerSpec.builder().projects(project).environments("staging").build());
        index.put("other-project", TriggerSpec.builder().projects("zz9otherproj99a").environments(environment).build());
        index.put("merges", TriggerSpec.builder().events("environment.merge").projects(project).build());
        index.put("crons", TriggerSpec.builder().events("environment.cron").build());
        index.put("feature-branches", TriggerSpec.builder().projects(project).environments("feature-*")
                .excludedEnvironments(environment).build());
        return index;
    }

    /** Per-thread tools of the floor and the baselines, made once (a real endpoint would keep them too). */
    @State(Scope.Thread)
    public static class Tools {
        Mac mac;
        JsonFactory factory;
        ObjectMapper mapper;
        ParseContext jackson;
        JsonPath[] paths;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode(Bodies.SHARED_KEY), "HmacSHA256"));
            factory = new JsonFactory();
            mapper = new ObjectMapper();
            jackson = JsonPath.using(Configuration.builder()
                    .jsonProvider(new JacksonJsonNodeJsonProvider(mapper))
                    .mappingProvider(new JacksonMappingProvider(mapper))
                    .options(Option.SUPPRESS_EXCEPTIONS)
                    .build());
            paths = GENERIC_PATHS.stream().map(JsonPath::compile).toArray(JsonPath[]::new);
        }
    }

    @Benchmark
    public Outcome ours(Deliveries d) {
        return decide(d);
    }

    /**
     * {@link #ours} plus what the adapter asks of an accepted delivery when it queues the build: the redacted copy of
     * the payload stored with it (computed lazily, once per delivery, since the decision itself does not need it).
     */
    @Benchmark
    public String oursQueued(Deliveries d) {
        return decide(d).schedules().get(0).redactedPayload();
    }

    /**
     * {@link #ours} with replay off ({@code DeliverySettings.withReplayBytes(0)}): no redacted copy of the body kept in
     * the delivery log. For information: the difference is what keeping deliveries for replay costs per delivery.
     */
    @Benchmark
    public Outcome oursWithoutReplay(Deliveries d) {
        return decide(d, d.settings.withReplayBytes(0));
    }

    static Outcome decide(Deliveries d) {
        return decide(d, d.settings);
    }

    static Outcome decide(Deliveries d, DeliverySettings settings) {
        Bodies.Signed b = d.next();
        DeliveryRequest request = DeliveryRequest.builder()
                .method("POST")
                .header("Content-Type", "application/json")
                .header(SignatureVerifier.SIGNATURE_HEADER, b.signature())
                .header("User-Agent", "Platform.sh webhook")
                .remoteAddress("198.51.100.7")
                .body(new ServletLikeInputStream(b.bytes()))
                .contentLength(b.bytes().length)
                .build();
        return d.service.decide(request, settings, d.keys);
    }

    @Benchmark
    public long floor(Deliveries d, Tools t) throws IOException {
        byte[] body = d.next().bytes();
        long tokens = 0;
        try (JsonParser p = t.factory.createParser(body)) {
            while (p.nextToken() != null) {
                tokens++;
            }
        }
        return tokens + hmac(t, d.signingPrefix, body)[0];
    }

    /**
     * The floor plus reading the body from the request stream into one array, which an endpoint that verifies before
     * it parses cannot avoid: "reading its bytes once".
     */
    @Benchmark
    public long floorWithRead(Deliveries d, Tools t) throws IOException {
        byte[] pooled = d.next().bytes();
        InputStream in = new ServletLikeInputStream(pooled);
        byte[] body = new byte[pooled.length];
        in.readNBytes(body, 0, body.length);
        long tokens = 0;
        try (JsonParser p = t.factory.createParser(body)) {
            while (p.nextToken() != null) {
                tokens++;
            }
        }
        return tokens + hmac(t, d.signingPrefix, body)[0];
    }

    @Benchmark
    public Map<String, String> generic(Deliveries d, Tools t) throws IOException {
        byte[] body = d.next().bytes();
        byte[] mac = hmac(t, d.signingPrefix, body);
        JsonNode tree = t.mapper.readTree(body);
        DocumentContext doc = t.jackson.parse(tree);
        Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < t.paths.length; i++) {
            Object v = doc.read(t.paths[i]);
            if (v != null) {
                variables.put(GENERIC_PATHS.get(i), v instanceof JsonNode n ? n.asText() : v.toString());
            }
        }
        variables.put("mac", Integer.toString(mac[0]));
        return variables;
    }

    @Benchmark
    public Map<String, String> gwtLiteral(Deliveries d, Tools t) {
        byte[] body = d.next().bytes();
        byte[] mac = hmac(t, d.signingPrefix, body);
        String text = new String(body, StandardCharsets.UTF_8);
        Map<String, String> variables = new HashMap<>();
        for (String path : GENERIC_PATHS) {
            Object v = JsonPath.read(text, path);
            if (v != null) {
                variables.put(path, v.toString());
            }
        }
        variables.put("mac", Integer.toString(mac[0]));
        return variables;
    }

    static byte[] hmac(Tools t, byte[] prefix, byte[] body) {
        t.mac.update(prefix);
        t.mac.update(body);
        return t.mac.doFinal();
    }
}

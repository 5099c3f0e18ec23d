package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The cost of {@link TriggerIndex#match} alone (the delivery already parsed and verified), by number of configured
 * triggers.
 *
 * <ul>
 *   <li>{@link #match}, {@link Spread}: triggers spread over 200 projects (as many as there are when fewer than 200), each project's
 *       triggers on distinct environments, like per-environment jobs. Exactly one matches the delivery.</li>
 *   <li>{@link #matchMultibranch}, {@link Multibranch}: 1,000 multibranch projects (one per Platform.sh project), each
 *       with its trigger and 50 branch jobs whose own triggers default to their branch's environment (51,000 triggers).
 *       The project's trigger and one branch job match the delivery.</li>
 *   <li>{@link #matchSameTarget}, {@link SameTarget}: the honest worst case: every trigger wants the delivery's project and environment, so
 *       every one is a candidate and matches; the cost is linear in their number, by design.</li>
 * </ul>
 *
 * <p>{@link #scanAll} is what a plugin without an index does: ask every trigger whether it wants the delivery.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Three forks: a fork's memory layout moves a 1 µs operation by 10-20%; the report judges the median of the
// per-fork ratios.
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class MatchBench {

    static final int PROJECTS = 200;

    /** The delivery, parsed and verified once. */
    static final class Delivery {
        final Activity activity;
        final Verification verification;

        Delivery() {
            Bodies.Signed b = Bodies.pool(Bodies.push(), 1)[0];
            try {
                activity = ActivityParser.parse(b.bytes());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Outcome o = new DeliveryService(new TriggerIndex()).decide(DeliveryRequest.builder()
                            .header("Content-Type", "application/json")
                            .header(SignatureVerifier.SIGNATURE_HEADER, b.signature())
                            .body(b.bytes())
                            .build(), DeliverySettings.defaults(),
                    List.of(VerificationKey.sharedKey("k", Bodies.SHARED_KEY, true)));
            verification = o.verification().orElseThrow();
            if (o.status() != 200 || !verification.passed()) {
                throw new IllegalStateException("the delivery did not verify: " + o);
            }
        }
    }

    /** {@code n} triggers over min(n, 200) projects, per-environment; only the first is for the delivery. */
    static List<TriggerSpec> spread(int n, Activity a) {
        int projects = Math.min(PROJECTS, n);
        List<TriggerSpec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int p = i % projects;
            int e = i / projects;
            String project = p == 0 ? a.project() : String.format("p%03dbench%05d", p, p * 7919 % 100000);
            String environment = e == 0 ? a.environment() : "feature-" + e;
            out.add(TriggerSpec.builder().projects(project).environments(environment).build());
        }
        return out;
    }

    static List<TriggerSpec> sameTarget(int n, Activity a) {
        List<TriggerSpec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // Distinct texts so that the index cannot share them; all want this project and environment.
            out.add(TriggerSpec.builder().projects(a.project()).environments(a.environment())
                    .states(i % 2 == 0 ? "complete" : "complete, cancelled").build());
        }
        return out;
    }

    /** An index of {@code triggers} triggers laid out by {@link #spread} or {@link #sameTarget}. */
    abstract static class Index {
        TriggerIndex index;
        Delivery delivery;

        void build(List<TriggerSpec> specs, int expectedMatches) {
            index = new TriggerIndex();
            for (int i = 0; i < specs.size(); i++) {
                index.put("job-" + i, specs.get(i));
            }
            MatchResult r = index.match(delivery.activity, delivery.verification); // builds the snapshot
            if (r.matched().size() != expectedMatches || r.triggerCount() != specs.size()) {
                throw new IllegalStateException("expected " + expectedMatches + " matches, got " + r.matched().size());
            }
        }
    }

    /** The realistic layout: {@link #spread}. */
    @State(Scope.Benchmark)
    public static class Spread extends Index {
        @Param({"10", "10000"})
        public int triggers;

        @Setup(Level.Trial)
        public void setUp() {
            delivery = new Delivery();
            build(spread(triggers, delivery.activity), 1);
        }
    }

    /**
     * {@code projects} multibranch projects, each for its own Platform.sh project, of {@link #BRANCHES} branch jobs.
     * The branches have the same names in every project (main, feature-1...), as real repositories do; each branch
     * job's trigger names its project (the docs advise it with several projects) and defaults to its branch.
     */
    static List<String[]> multibranch(int projects, Activity a) {
        List<String[]> out = new ArrayList<>(projects * (BRANCHES + 1));
        for (int p = 0; p < projects; p++) {
            String project = p == 0 ? a.project() : String.format("p%04dbench%05d", p, p * 7919 % 100000);
            out.add(new String[] {"mb-" + p, project, null});
            for (int b = 0; b < BRANCHES; b++) {
                out.add(new String[] {"mb-" + p + "/b" + b, project, b == 0 ? a.environment() : "feature-" + b});
            }
        }
        return out;
    }

    static final int BRANCHES = 50;

    /** The multibranch layout: {@link #multibranch}. */
    @State(Scope.Benchmark)
    public static class Multibranch {
        /** One project (51 triggers) is the same layout small: the ratio to it isolates the number of triggers. */
        @Param({"1", "1000"})
        public int projects;

        TriggerIndex index;
        Delivery delivery;

        @Setup(Level.Trial)
        public void setUp() {
            delivery = new Delivery();
            index = new TriggerIndex();
            for (String[] t : multibranch(projects, delivery.activity)) {
                TriggerSpec.Builder b = TriggerSpec.builder().projects(t[1]);
                index.put(t[0], t[2] == null ? b.build() : b.branchEnvironments(List.of(t[2])).build());
            }
            MatchResult r = index.match(delivery.activity, delivery.verification);
            if (r.matched().size() != 2 || r.triggerCount() != projects * (BRANCHES + 1)) {
                throw new IllegalStateException("expected the project and one branch job, got " + r.matched().size());
            }
        }
    }

    /** The worst case: {@link #sameTarget}. */
    @State(Scope.Benchmark)
    public static class SameTarget extends Index {
        @Param({"10", "10000"})
        public int triggers;

        @Setup(Level.Trial)
        public void setUp() {
            delivery = new Delivery();
            build(sameTarget(triggers, delivery.activity), triggers);
        }
    }

    /** The triggers as a flat list, for the scan a plugin without an index does. */
    @State(Scope.Benchmark)
    public static class Flat {
        @Param({"10000"})
        public int triggers;

        TriggerSpec[] specs;
        Delivery delivery;

        @Setup(Level.Trial)
        public void setUp() {
            delivery = new Delivery();
            specs = spread(triggers, delivery.activity).toArray(TriggerSpec[]::new);
        }
    }

    /** Its 10,000 / 10 ratio is a target. */
    @Benchmark
    public MatchResult match(Spread s) {
        return s.index.match(s.delivery.activity, s.delivery.verification);
    }

    /** Its ratio to {@code match[triggers=10]} is a target. */
    @Benchmark
    public MatchResult matchMultibranch(Multibranch s) {
        return s.index.match(s.delivery.activity, s.delivery.verification);
    }

    @Benchmark
    public MatchResult matchSameTarget(SameTarget s) {
        return s.index.match(s.delivery.activity, s.delivery.verification);
    }

    @Benchmark
    public int scanAll(Flat s) {
        int matched = 0;
        for (TriggerSpec spec : s.specs) {
            if (spec.mismatch(s.delivery.activity, s.delivery.verification) == null) {
                matched++;
            }
        }
        return matched;
    }
}

package io.jenkins.plugins.platformsh.delivery.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.text.Clip;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value a delivery carries is bounded where it is parsed: an identifying value over its bound is refused (400,
 * naming the field and the bound), display text is cut with a visible marker, lists are capped. A value exactly at its
 * bound is taken whole.
 */
class FieldBoundsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A value of {@code n} characters with unicode, an emoji (a surrogate pair) and HTML in it. */
    static String nasty(int n) {
        String unit = "<b>é&\"😀</b>"; // 12 UTF-16 units
        StringBuilder sb = new StringBuilder(n + unit.length());
        while (sb.length() < n) {
            sb.append(unit);
        }
        sb.setLength(n);
        if (Character.isHighSurrogate(sb.charAt(n - 1))) {
            sb.setCharAt(n - 1, 'x'); // a value of exactly n units, itself whole
        }
        return sb.toString();
    }

    private static ObjectNode push() throws Exception {
        return (ObjectNode) MAPPER.readTree(Fixtures.bytes("push-2022.json"));
    }

    private static ObjectNode health() throws Exception {
        return (ObjectNode) MAPPER.readTree(Fixtures.bytes("health.json"));
    }

    /** Sets the value at a dotted path ({@code commits.0.sha} indexes an array); missing objects are made. */
    private static ObjectNode with(ObjectNode root, String path, String value) {
        String[] parts = path.split("\\.");
        JsonNode n = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = n.isArray() ? n.get(Integer.parseInt(parts[i])) : n.get(parts[i]);
            n = next != null && next.isContainerNode() ? next : ((ObjectNode) n).putObject(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (n.isArray()) {
            ((ArrayNode) n).set(Integer.parseInt(last), MAPPER.getNodeFactory().textNode(value));
        } else {
            ((ObjectNode) n).put(last, value);
        }
        return root;
    }

    private static Activity parse(ObjectNode root) throws MalformedDeliveryException {
        try {
            return ActivityParser.parse(MAPPER.writeValueAsBytes(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** Path in the test body, the field the reason names, its bound, which body, and how to read it back. */
    static Stream<Arguments> identifying() {
        return Stream.of(
                Arguments.of("id", "id", FieldBounds.ID, false, (Function<Activity, String>) Activity::id),
                Arguments.of("type", "type", FieldBounds.TYPE, false, (Function<Activity, String>) Activity::type),
                Arguments.of("project", "project", FieldBounds.PROJECT, false, f(Activity::project)),
                Arguments.of("state", "state", FieldBounds.STATE, false, f(Activity::state)),
                Arguments.of("result", "result", FieldBounds.RESULT, false, f(Activity::result)),
                Arguments.of("created_at", "created_at", FieldBounds.TIME, false, f(Activity::createdAt)),
                Arguments.of("completed_at", "completed_at", FieldBounds.TIME, false, f(Activity::completedAt)),
                Arguments.of("environments.0", "environments", FieldBounds.ENVIRONMENT, false, f(a -> a.environments()
                        .get(0))),
                Arguments.of(
                        "parameters.environment",
                        "parameters.environment",
                        FieldBounds.ENVIRONMENT,
                        false,
                        f(Activity::environment)),
                Arguments.of(
                        "payload.environment.machine_name",
                        "payload.environment.machine_name",
                        FieldBounds.ENVIRONMENT,
                        false,
                        null),
                Arguments.of(
                        "payload.environment.type",
                        "payload.environment.type",
                        FieldBounds.ENVIRONMENT_TYPE,
                        false,
                        f(Activity::environmentType)),
                Arguments.of(
                        "parameters.new_commit",
                        "parameters.new_commit",
                        FieldBounds.COMMIT,
                        false,
                        f(Activity::headCommit)),
                Arguments.of(
                        "parameters.old_commit",
                        "parameters.old_commit",
                        FieldBounds.COMMIT,
                        false,
                        f(Activity::previousCommit)),
                Arguments.of(
                        "payload.commits.0.sha", "payload.commits.sha", FieldBounds.COMMIT, false, f(a -> a.commits()
                                .get(0)
                                .sha())),
                Arguments.of(
                        "payload.deployment.environment_info.reference",
                        "payload.deployment.environment_info.reference",
                        FieldBounds.GIT_REF,
                        false,
                        f(Activity::gitRef)),
                Arguments.of("event.component", "event.component", FieldBounds.HEALTH_FIELD, true, null),
                Arguments.of(
                        "event.severity",
                        "event.severity",
                        FieldBounds.HEALTH_FIELD,
                        true,
                        f(Activity::healthSeverity)),
                Arguments.of("event.origin.project", "event.origin.project", FieldBounds.PROJECT, true, null),
                Arguments.of("project.id", "project.id", FieldBounds.PROJECT, true, null),
                Arguments.of("started_at", "started_at", FieldBounds.TIME, false, f(Activity::startedAt)),
                Arguments.of(
                        "parameters.from", "parameters.from", FieldBounds.ENVIRONMENT, false, f(Activity::mergeFrom)),
                Arguments.of(
                        "parameters.into", "parameters.into", FieldBounds.ENVIRONMENT, false, f(Activity::mergeInto)),
                Arguments.of("parameters.parent", "parameters.parent", FieldBounds.ENVIRONMENT, false, null),
                Arguments.of("payload.outcome.name", "payload.outcome.name", FieldBounds.ENVIRONMENT, false, null),
                Arguments.of("payload.parent.name", "payload.parent.name", FieldBounds.ENVIRONMENT, false, null),
                Arguments.of(
                        "payload.environment.parent",
                        "payload.environment.parent",
                        FieldBounds.ENVIRONMENT,
                        false,
                        null),
                Arguments.of("payload.commit", "payload.commit", FieldBounds.COMMIT, false, null),
                Arguments.of(
                        "payload.deployment.environment_info.name",
                        "payload.deployment.environment_info.name",
                        FieldBounds.ENVIRONMENT,
                        false,
                        null),
                Arguments.of(
                        "payload.deployment.environment_info.machine_name",
                        "payload.deployment.environment_info.machine_name",
                        FieldBounds.ENVIRONMENT,
                        false,
                        null),
                Arguments.of("event.time", "event.time", FieldBounds.TIME, true, f(Activity::createdAt)),
                Arguments.of(
                        "event.subcomponent",
                        "event.subcomponent",
                        FieldBounds.HEALTH_FIELD,
                        true,
                        f(Activity::healthSubcomponent)),
                Arguments.of(
                        "event.origin.environment",
                        "event.origin.environment",
                        FieldBounds.ENVIRONMENT,
                        true,
                        f(Activity::machineName)),
                Arguments.of(
                        "event.origin.service",
                        "event.origin.service",
                        FieldBounds.HEALTH_FIELD,
                        true,
                        f(Activity::healthService)),
                Arguments.of(
                        "event.origin.instance",
                        "event.origin.instance",
                        FieldBounds.HEALTH_FIELD,
                        true,
                        f(Activity::healthInstance)));
    }

    private static Function<Activity, String> f(Function<Activity, String> g) {
        return g;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifying")
    void anIdentifyingValueOverItsBoundIsRefusedNamingTheFieldAndTheBound(
            String path, String field, int bound, boolean isHealth, Function<Activity, String> read) throws Exception {
        ObjectNode body = with(isHealth ? health() : push(), path, nasty(bound + 1));
        MalformedDeliveryException e = assertThrows(MalformedDeliveryException.class, () -> parse(body));
        assertEquals("the field '" + field + "' is longer than " + bound + " characters", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifying")
    void anIdentifyingValueExactlyAtItsBoundIsTakenWhole(
            String path, String field, int bound, boolean isHealth, Function<Activity, String> read) throws Exception {
        String value = nasty(bound);
        Activity a = parse(with(isHealth ? health() : push(), path, value));
        if (read != null) {
            assertEquals(value, read.apply(a));
        }
    }

    @Test
    void hundredKilobyteTypeAndProjectAreRefused() throws Exception {
        ObjectNode body = with(with(push(), "type", "t".repeat(100_000)), "project", "p".repeat(100_000));
        MalformedDeliveryException e = assertThrows(MalformedDeliveryException.class, () -> parse(body));
        assertTrue(e.getMessage().contains("'type'") && e.getMessage().contains("128"), e.getMessage());
    }

    static Stream<Arguments> display() {
        return Stream.of(
                Arguments.of("payload.user.display_name", FieldBounds.USER_NAME, f(Activity::userName)),
                Arguments.of("text", FieldBounds.TEXT, f(Activity::text)),
                Arguments.of("description", FieldBounds.DESCRIPTION, f(Activity::description)),
                Arguments.of("_links.self.href", FieldBounds.URL, f(Activity::url)),
                Arguments.of("payload.commits.0.message", FieldBounds.COMMIT_MESSAGE, f(a -> a.commits()
                        .get(0)
                        .message())),
                Arguments.of("payload.commits.0.author.name", FieldBounds.USER_NAME, f(a -> a.commits()
                        .get(0)
                        .authorName())),
                Arguments.of("payload.commits.0.author.email", FieldBounds.EMAIL, f(a -> a.commits()
                        .get(0)
                        .authorEmail())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("display")
    void displayTextOverItsBoundIsCutWithTheMarker(String path, int bound, Function<Activity, String> read)
            throws Exception {
        String value = nasty(bound * 3);
        String got = read.apply(parse(with(push(), path, value)));
        assertTrue(got.endsWith(Clip.MARKER), got);
        assertTrue(got.length() <= bound + Clip.MARKER.length(), "length " + got.length());
        String kept = got.substring(0, got.length() - Clip.MARKER.length());
        assertTrue(value.startsWith(kept), "the start is kept verbatim (HTML escaping is for the pages)");
        assertTrue(kept.length() >= bound - 1);
        assertWholePairs(got);
    }

    @Test
    void aHealthMessageOverItsBoundIsCutWithTheMarker() throws Exception {
        String value = nasty(FieldBounds.HEALTH_MESSAGE + 1);
        String got = parse(with(health(), "event.message", value)).healthMessage();
        assertEquals(Clip.to(value, FieldBounds.HEALTH_MESSAGE), got);
        assertTrue(got.endsWith(Clip.MARKER));
        String exact = nasty(FieldBounds.HEALTH_MESSAGE);
        assertEquals(exact, parse(with(health(), "event.message", exact)).healthMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("display")
    void displayTextExactlyAtItsBoundIsTakenWhole(String path, int bound, Function<Activity, String> read)
            throws Exception {
        String value = nasty(bound);
        assertEquals(value, read.apply(parse(with(push(), path, value))));
    }

    @Test
    void aSurrogatePairAtTheCutIsNeverSplit() throws Exception {
        String value = "a".repeat(FieldBounds.USER_NAME - 1) + "😀" + "tail";
        String got = parse(with(push(), "payload.user.display_name", value)).userName();
        assertEquals("a".repeat(FieldBounds.USER_NAME - 1) + Clip.MARKER, got);
        String exact = "a".repeat(FieldBounds.USER_NAME - 2) + "😀";
        assertEquals(
                exact, parse(with(push(), "payload.user.display_name", exact)).userName());
    }

    @Test
    void aRouteUrlOverItsBoundIsCutWithTheMarker() throws Exception {
        ObjectNode body = push();
        ObjectNode routes = (ObjectNode) body.at("/payload/deployment/routes");
        String url = "https://" + nasty(FieldBounds.URL * 2) + "/";
        routes.putObject(url).put("type", "upstream").put("primary", false);
        Activity a = parse(body);
        assertTrue(a.routes().stream().allMatch(r -> r.url().length() <= FieldBounds.URL + Clip.MARKER.length()));
        assertTrue(a.routes().stream().anyMatch(r -> r.url().endsWith(Clip.MARKER)));
    }

    @Test
    void listsAreCapped() throws Exception {
        ObjectNode body = push();
        ArrayNode commits = ((ObjectNode) body.get("payload")).putArray("commits");
        for (int i = 0; i < 5000; i++) {
            commits.addObject().put("sha", String.format("%040x", i)).put("message", "m" + i);
        }
        ObjectNode routes = ((ObjectNode) body.at("/payload/deployment")).putObject("routes");
        for (int i = 0; i < 5000; i++) {
            routes.putObject("https://r" + i + ".example.test/").put("type", "upstream");
        }
        routes.putObject("https://primary.example.test/")
                .put("type", "upstream")
                .put("primary", true);
        ((ObjectNode) body.get("payload")).remove("commits_count");
        Activity a = parse(body);
        assertEquals(FieldBounds.COMMITS, a.commits().size());
        assertEquals(5000, a.commitsCount(), "every commit listed is counted");
        assertEquals(FieldBounds.ROUTES, a.routes().size());
        assertEquals("https://primary.example.test/", a.primaryUrl(), "the primary route is never left out");
    }

    @Test
    void theRoutesVariableStaysUnderWhatLinuxAllowsOneEnvironmentVariable() throws Exception {
        ObjectNode body = push();
        ObjectNode routes = ((ObjectNode) body.at("/payload/deployment")).putObject("routes");
        for (int i = 0; i < 500; i++) {
            String url = "https://r" + i + ".example.test/" + "p".repeat(3 * FieldBounds.URL);
            routes.putObject(url).put("type", "upstream");
        }
        String value = Variables.of(parse(body)).get(Variables.ROUTES);
        // MAX_ARG_STRLEN: 32 pages of 4 KiB, the name and '=' included; past it execve fails with E2BIG.
        assertTrue(
                (Variables.ROUTES + "=" + value).getBytes(StandardCharsets.UTF_8).length < 128 * 1024,
                "PLATFORMSH_ROUTES is " + value.length() + " characters");
    }

    @Test
    void moreEnvironmentsThanTheBoundAreRefused() throws Exception {
        ObjectNode body = push();
        ArrayNode envs = body.putArray("environments");
        for (int i = 0; i < FieldBounds.ENVIRONMENTS; i++) {
            envs.add("e" + i);
        }
        parse(body); // exactly at the bound
        envs.add("one-more");
        MalformedDeliveryException e = assertThrows(MalformedDeliveryException.class, () -> parse(body));
        assertEquals("the field 'environments' has more than " + FieldBounds.ENVIRONMENTS + " entries", e.getMessage());
    }

    @Test
    void anActivityBuiltOtherwiseIsCutToo() {
        Activity.Builder b = new Activity.Builder();
        b.id = "i".repeat(100_000);
        b.type = "t".repeat(100_000);
        b.project = "p".repeat(100_000);
        b.environment = "e".repeat(100_000);
        b.state = "s".repeat(100_000);
        Activity a = b.build();
        assertEquals(FieldBounds.ID + Clip.MARKER.length(), a.id().length());
        assertEquals(FieldBounds.TYPE + Clip.MARKER.length(), a.type().length());
        assertEquals(FieldBounds.PROJECT + Clip.MARKER.length(), a.project().length());
        assertEquals(
                FieldBounds.ENVIRONMENT + Clip.MARKER.length(), a.environment().length());
        assertEquals(FieldBounds.STATE + Clip.MARKER.length(), a.state().length());
    }

    @Property(tries = 300)
    void clipNeverSplitsAPairAndKeepsShortTextWhole(@ForAll("unicode") String s, @ForAll("bounds") int max) {
        Assume.that(s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)); // no lone surrogate to begin with
        String got = Clip.to(s, max);
        assertEquals(got, Clip.to(got, max), "cutting twice changes nothing");
        if (s.length() <= max) {
            assertEquals(s, got);
        } else {
            assertTrue(got.endsWith(Clip.MARKER));
            String kept = got.substring(0, got.length() - Clip.MARKER.length());
            assertTrue(s.startsWith(kept));
            assertTrue(kept.length() == max || kept.length() == max - 1);
            assertWholePairs(got);
        }
    }

    @Provide
    Arbitrary<String> unicode() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("a😀é<&\"").ofMaxLength(40));
    }

    @Provide
    Arbitrary<Integer> bounds() {
        return Arbitraries.integers().between(0, 40);
    }

    private static void assertWholePairs(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)), "lone high at " + i);
                i++;
            } else {
                assertFalse(Character.isLowSurrogate(c), "lone low surrogate at " + i);
            }
        }
    }
}

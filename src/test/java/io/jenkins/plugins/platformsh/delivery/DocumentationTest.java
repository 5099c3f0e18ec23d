package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.match.BucketKeys;
import io.jenkins.plugins.platformsh.delivery.match.FilterValidation;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The documented tables must say what the code does. */
class DocumentationTest {

    /** docs/ from the repository root (root build) or from .ci (Central-only build). */
    private static Path docs(String name) {
        for (Path p : List.of(Paths.get("docs", name), Paths.get("..", "docs", name))) {
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new AssertionError(
                "docs/" + name + " not found from " + Paths.get("").toAbsolutePath());
    }

    @Test
    void filtersDocumentTheCapOfEveryList() throws Exception {
        String text = Files.readString(docs("filters.md"));
        Map<String, Integer> caps = Map.of(
                "events", FilterValidation.MAX_EVENTS,
                "states", FilterValidation.MAX_STATES,
                "results", FilterValidation.MAX_RESULTS,
                "projects", FilterValidation.MAX_PROJECTS,
                "environments", FilterValidation.MAX_ENVIRONMENTS,
                "excludedEnvironments", FilterValidation.MAX_ENVIRONMENTS);
        for (Map.Entry<String, Integer> c : caps.entrySet()) {
            assertTrue(
                    text.contains("(`" + c.getKey() + "`) | " + c.getValue() + " |"),
                    "docs/filters.md gives the cap of " + c.getKey());
        }
        assertTrue(
                Files.readString(docs("security.md"))
                        .contains(String.format(java.util.Locale.ROOT, "%,d combinations", BucketKeys.MAX_PER_ENTRY)),
                "docs/security.md gives the index bound");
    }

    @Test
    void variablesTableListsEveryVariableInOrder() throws Exception {
        List<String> documented = new ArrayList<>();
        Matcher m =
                Pattern.compile("(?m)^\\| `(PLATFORMSH_[A-Z_]+)` \\|").matcher(Files.readString(docs("variables.md")));
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(Variables.NAMES, documented);
    }

    @Test
    void perEventTypeTablesCoverTheTypesWithTwoEnvironmentsAndNameRealVariables() throws Exception {
        String text = Files.readString(docs("variables.md"));
        String perType = text.substring(text.indexOf("## Per event type"));
        for (String heading : List.of(
                "### `environment.push`",
                "### `environment.branch`",
                "### `environment.activate`",
                "### `environment.merge`",
                "### `environment.synchronize`",
                "### `environment.restore`",
                "### Health notifications")) {
            assertTrue(perType.contains(heading), "docs/variables.md has a table for " + heading);
        }
        Matcher row = Pattern.compile("(?m)^\\| ([A-Z_]+(?:, [A-Z_]+)*) \\|").matcher(perType);
        int rows = 0;
        while (row.find()) {
            for (String name : row.group(1).split(", ")) {
                assertTrue(Variables.NAMES.contains("PLATFORMSH_" + name), "not a variable: " + name);
                rows++;
            }
        }
        assertTrue(rows > 20, "the per-type tables were read: " + rows);
    }

    @Test
    void theMigrationGuideNamesOnlyVariablesThatExist() throws Exception {
        Matcher m = Pattern.compile("PLATFORMSH_[A-Z_]+")
                .matcher(Files.readString(docs("migrating-from-generic-webhook-trigger.md")));
        int named = 0;
        while (m.find()) {
            named++;
            assertTrue(Variables.NAMES.contains(m.group()), "no such variable: " + m.group());
        }
        assertTrue(named > 20, "the guide maps the common JSONPath variables");
    }

    @Test
    void statusTableCoversEveryAnswerDecideGives() throws Exception {
        String text = Files.readString(docs("statuses.md"));
        List<String[]> rows = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\| (\\d{3}) \\| `([^`]+)`").matcher(text);
        while (m.find()) {
            rows.add(new String[] {m.group(1), m.group(2)});
        }
        TriggerIndex index = new TriggerIndex();
        index.put("job", TriggerSpec.defaults());
        DeliveryService service = new DeliveryService(index);
        DeliverySettings settings = DeliverySettings.defaults();
        byte[] push = Fixtures.bytes("push-2022.json");
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(service.decide(DeliveryRequest.builder().method("GET").build(), settings, Fixtures.globalKey()));
        outcomes.add(service.decide(DeliveryRequest.builder().method("PUT").build(), settings, Fixtures.globalKey()));
        outcomes.add(service.decide(
                DeliveryRequest.builder()
                        .header("Content-Type", "application/xml")
                        .body(push)
                        .build(),
                settings,
                Fixtures.globalKey()));
        outcomes.add(service.decide(
                DeliveryRequest.builder()
                        .header("Content-Type", "application/json")
                        .contentLength(1L << 40)
                        .header(SignatureVerifier.SIGNATURE_HEADER, SignatureVerifier.sign(Fixtures.KEY, push))
                        .build(),
                settings,
                Fixtures.globalKey()));
        outcomes.add(service.decide(
                DeliveryRequest.builder()
                        .header("Content-Type", "application/json")
                        .header(SignatureVerifier.SIGNATURE_HEADER, "a..b")
                        .body(push)
                        .build(),
                settings,
                Fixtures.globalKey()));
        outcomes.add(service.decide(Fixtures.unsigned(push), settings, Fixtures.globalKey()));
        outcomes.add(service.decide(Fixtures.signed(push, "d3Jvbmc"), settings, Fixtures.globalKey()));
        outcomes.add(service.decide(Fixtures.signed(Fixtures.utf8("[]")), settings, Fixtures.globalKey()));
        outcomes.add(service.decide(Fixtures.signed(push), settings, () -> {
            throw new IllegalStateException();
        }));
        outcomes.add(service.decide(
                Fixtures.signed(push),
                settings,
                List.of(VerificationKey.sharedKey("k", Fixtures.KEY, true).forProjects("other"))));
        Outcome accepted = service.decide(Fixtures.signed(push), settings, Fixtures.globalKey());
        outcomes.add(accepted);
        outcomes.add(service.decide(Fixtures.signed(push), settings, Fixtures.globalKey()));
        outcomes.add(service.decide(Fixtures.signed(Fixtures.bytes("cron.json")), settings, Fixtures.globalKey()));
        outcomes.add(service.afterScheduling(accepted, java.util.Map.of("job", ScheduleResult.failed("x"))));
        Outcome merge = service.decide(Fixtures.signed(Fixtures.bytes("merge.json")), settings, Fixtures.globalKey());
        outcomes.add(service.afterScheduling(merge, java.util.Map.of("job", ScheduleResult.skipped("disabled"))));
        for (Outcome o : outcomes) {
            boolean documented = rows.stream()
                    .anyMatch(r ->
                            Integer.parseInt(r[0]) == o.status() && o.body().startsWith(r[1]));
            assertTrue(documented, "docs/statuses.md has a row for: " + o.status() + " " + o.body());
        }
        assertEquals(15, outcomes.stream().map(Outcome::body).distinct().count(), "every scenario gave its own answer");
    }

    /** The rows of docs/statuses.md's table: status and what the body starts with, in the table's order. */
    private static List<String[]> statusRows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\| (\\d{3}) \\| `([^`]+)`").matcher(Files.readString(docs("statuses.md")));
        while (m.find()) {
            rows.add(new String[] {m.group(1), m.group(2)});
        }
        return rows;
    }

    /**
     * The table is in the order the checks run. One request per row, in the order of DeliveryService.run and
     * afterScheduling, must land on rows that never go back up the table; and a request that fails two adjacent checks
     * at once gets the earlier one's answer, so a change of order in the code fails here too.
     */
    @Test
    void statusTableIsInTheOrderTheChecksRun() throws Exception {
        List<String[]> rows = statusRows();
        TriggerIndex index = new TriggerIndex();
        index.put("job", TriggerSpec.defaults());
        index.put("other", TriggerSpec.defaults());
        DeliveryService service = new DeliveryService(index);
        DeliverySettings settings = DeliverySettings.defaults();
        List<VerificationKey> keys = Fixtures.globalKey();
        Supplier<List<VerificationKey>> unreadable = () -> {
            throw new IllegalStateException();
        };
        List<VerificationKey> otherProject =
                List.of(VerificationKey.sharedKey("k", Fixtures.KEY, true).forProjects("other"));
        byte[] push = Fixtures.bytes("push-2022.json");
        byte[] notAnActivity = Fixtures.utf8("[]");
        String good = SignatureVerifier.sign(Fixtures.KEY, push);
        String wrongKey = SignatureVerifier.sign("d3Jvbmc", push);
        String malformed = "a..b";

        Outcome probe = service.decide(request("GET", null, null, push), settings, keys);
        Outcome method = service.decide(request("PUT", null, good, push), settings, keys);
        Outcome mediaType = service.decide(request("POST", "application/xml", good, push), settings, keys);
        Outcome unsigned = service.decide(request("POST", null, null, push), settings, keys);
        Outcome badHeader = service.decide(request("POST", null, malformed, push), settings, keys);
        Outcome tooLarge = service.decide(oversized(good), settings, keys);
        Outcome unreadBody = service.decide(broken(good), settings, keys);
        Outcome noKeys = service.decide(request("POST", null, good, push), settings, unreadable);
        Outcome notVerified = service.decide(request("POST", null, wrongKey, push), settings, keys);
        Outcome malformedBody = service.decide(Fixtures.signed(notAnActivity), settings, keys);
        Outcome wrongProject = service.decide(request("POST", null, good, push), settings, otherProject);
        Outcome accepted = service.decide(request("POST", null, good, push), settings, keys);
        Outcome duplicate = service.decide(request("POST", null, good, push), settings, keys);
        Outcome ignored = service.decide(Fixtures.signed(Fixtures.bytes("cron.json")), settings, keys);
        Outcome merge = service.decide(Fixtures.signed(Fixtures.bytes("merge.json")), settings, keys);
        Outcome failed = service.afterScheduling(
                merge, Map.of("job", ScheduleResult.failed("x"), "other", ScheduleResult.skipped("disabled")));
        Outcome merge2 = service.decide(Fixtures.signed(Fixtures.bytes("merge.json")), settings, keys);
        Outcome cannotBuild = service.afterScheduling(
                merge2, Map.of("job", ScheduleResult.skipped("disabled"), "other", ScheduleResult.skipped("disabled")));

        int at = 0;
        for (Outcome o : List.of(
                probe,
                method,
                mediaType,
                unsigned,
                badHeader,
                tooLarge,
                unreadBody,
                noKeys,
                notVerified,
                malformedBody,
                wrongProject,
                duplicate,
                ignored,
                accepted,
                failed,
                cannotBuild)) {
            int row = -1;
            for (int i = at; i < rows.size() && row < 0; i++) {
                if (Integer.parseInt(rows.get(i)[0]) == o.status() && o.body().startsWith(rows.get(i)[1])) {
                    row = i;
                }
            }
            assertTrue(row >= 0, "docs/statuses.md has a row for " + o + " at or below row " + (at + 1));
            at = row;
        }

        // Two checks failed at once: the earlier one decides. (failed above already had a skipped job beside it.)
        assertSameRow(method, service.decide(request("PUT", "application/xml", good, push), settings, keys));
        assertSameRow(mediaType, service.decide(request("POST", "application/xml", null, push), settings, keys));
        assertSameRow(mediaType, service.decide(request("POST", "application/xml", malformed, push), settings, keys));
        assertSameRow(unsigned, service.decide(oversized(null), settings, keys));
        assertSameRow(badHeader, service.decide(oversized(malformed), settings, keys));
        assertSameRow(tooLarge, service.decide(oversized(wrongKey), settings, unreadable));
        assertSameRow(unreadBody, service.decide(broken(good), settings, unreadable));
        assertSameRow(noKeys, service.decide(request("POST", null, wrongKey, push), settings, unreadable));
        assertSameRow(
                notVerified,
                service.decide(
                        request("POST", null, SignatureVerifier.sign("d3Jvbmc", notAnActivity), notAnActivity),
                        settings,
                        keys));
        assertSameRow(malformedBody, service.decide(Fixtures.signed(notAnActivity), settings, otherProject));
        assertSameRow(duplicate, service.decide(Fixtures.signed(Fixtures.bytes("cron.json")), settings, keys));
    }

    /** Same status and the same body up to its first colon: the same row of the table, whatever the detail. */
    private static void assertSameRow(Outcome expected, Outcome actual) {
        String e = expected.body();
        String a = actual.body();
        assertEquals(
                expected.status() + " " + e.substring(0, e.indexOf(':') < 0 ? e.length() : e.indexOf(':')),
                actual.status() + " " + a.substring(0, a.indexOf(':') < 0 ? a.length() : a.indexOf(':')),
                "answered " + actual);
    }

    private static DeliveryRequest request(String method, String contentType, String signature, byte[] body) {
        return DeliveryRequest.builder()
                .method(method)
                .header("Content-Type", contentType == null ? "application/json" : contentType)
                .header(SignatureVerifier.SIGNATURE_HEADER, signature)
                .body(body)
                .build();
    }

    /** A body announced far over the limit; never read. */
    private static DeliveryRequest oversized(String signature) {
        return DeliveryRequest.builder()
                .header("Content-Type", "application/json")
                .header(SignatureVerifier.SIGNATURE_HEADER, signature)
                .contentLength(1L << 40)
                .build();
    }

    /** A connection that breaks while the body is read. */
    private static DeliveryRequest broken(String signature) {
        return DeliveryRequest.builder()
                .header("Content-Type", "application/json")
                .header(SignatureVerifier.SIGNATURE_HEADER, signature)
                .body(new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                })
                .build();
    }
}

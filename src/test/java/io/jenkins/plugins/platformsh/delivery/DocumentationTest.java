package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
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
}

package io.jenkins.plugins.platformsh.delivery.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A token never reopens a shared key to guesses, whichever configuration names it. */
class OneRolePerSecretTest {

    private static final String SIGNING = "c2lnbmluZy1rZXktb2YtdGhlLWdsb2JhbC1jb25maWd1cmF0aW9u";

    @Test
    void aJobsTokenHoldingTheGlobalSharedKeyIsLeftOutAndTheSharedKeyKept() {
        List<NamedKey> dropped = new ArrayList<>();
        List<VerificationKey> keys = OneRolePerSecret.keys(
                List.of(
                        new OneRolePerSecret.Candidate(NamedKey.sharedKey("psh-key"), SIGNING, true),
                        new OneRolePerSecret.Candidate(
                                NamedKey.token("psh-key"), SIGNING, false, k -> k.forTarget("job-a")),
                        // Another credential, same text with a new line: the same secret as keys read it.
                        new OneRolePerSecret.Candidate(
                                NamedKey.token("copy"), SIGNING + "\n", false, k -> k.forTarget("job-b")),
                        new OneRolePerSecret.Candidate(
                                NamedKey.token("own-token"), "another-secret", false, k -> k.forTarget("job-c"))),
                dropped::add);
        assertEquals(List.of(NamedKey.token("psh-key"), NamedKey.token("copy")), dropped);
        assertEquals(2, keys.size());
        assertEquals(VerificationKey.Kind.SHARED_KEY, keys.get(0).kind());
        assertEquals(VerificationKey.Kind.TOKEN, keys.get(1).kind());
    }

    @Test
    void theGlobalSharedKeyGuessedAsATokenIsRefusedWhenAJobNamesItAsItsToken() throws Exception {
        TriggerIndex index = new TriggerIndex();
        index.put("job-a", TriggerSpec.defaults());
        DeliveryService service = new DeliveryService(index);
        List<VerificationKey> keys = OneRolePerSecret.keys(
                List.of(
                        new OneRolePerSecret.Candidate(NamedKey.sharedKey("psh-key"), SIGNING, true),
                        new OneRolePerSecret.Candidate(
                                NamedKey.token("psh-key"), SIGNING, false, k -> k.forTarget("job-a"))),
                named -> {});
        DeliveryRequest guess = DeliveryRequest.builder()
                .method("POST")
                .header("Content-Type", "application/json")
                .query("token", SIGNING)
                .body(Fixtures.bytes("push-2022.json"))
                .build();
        Outcome o = service.decide(guess, DeliverySettings.defaults(), keys);
        assertEquals(403, o.status(), o::toString);
    }
}

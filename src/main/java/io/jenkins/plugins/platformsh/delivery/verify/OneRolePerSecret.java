package io.jenkins.plugins.platformsh.delivery.verify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One secret, one role, across every configuration. A form keeps one configuration from naming the same credentials
 * as its shared key and its token, but a job's trigger or a waiting step may name as its token the credentials the
 * global configuration signs with (or another credential holding the same text). That token would make the signing
 * key a bearer token, open to guesses with {@code ?token=} by anyone. So a token whose text is any shared key's is
 * dropped, and the shared key keeps its role.
 */
public final class OneRolePerSecret {

    private OneRolePerSecret() {}

    /**
     * A key to be: the role it was named in, its secret's text, whether it comes from the global configuration, and
     * what limits it once made (to a job, to projects).
     */
    public record Candidate(NamedKey named, String secretText, boolean global, UnaryOperator<VerificationKey> scope) {

        public Candidate(NamedKey named, String secretText, boolean global) {
            this(named, secretText, global, UnaryOperator.identity());
        }
    }

    /**
     * The candidates' keys, in order, without the tokens whose text (without white space at either end, as keys are
     * read) is also a shared key's; each token left out is handed to {@code dropped}.
     */
    public static List<VerificationKey> keys(List<Candidate> candidates, Consumer<NamedKey> dropped) {
        Set<String> sharedKeyTexts = new HashSet<>();
        for (Candidate c : candidates) {
            if (c.named().role() == VerificationKey.Kind.SHARED_KEY && c.secretText() != null) {
                sharedKeyTexts.add(c.secretText().strip());
            }
        }
        List<VerificationKey> keys = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            if (c.named().role() == VerificationKey.Kind.TOKEN
                    && c.secretText() != null
                    && sharedKeyTexts.contains(c.secretText().strip())) {
                dropped.accept(c.named());
                continue;
            }
            VerificationKey key = c.named().toKey(c.secretText(), c.global());
            if (key != null) {
                keys.add(c.scope().apply(key));
            }
        }
        return keys;
    }
}

package io.jenkins.plugins.platformsh.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.platformsh.config.PlatformshAdditionalKey;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.config.SecretTexts;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Resolves, per delivery and as SYSTEM, the secrets a delivery may be verified with: the global shared key and
 * token, and the key each trigger names. Only credentials ids and secrets cross into the delivery package.
 */
public final class PlatformshKeys {

    private static final Logger LOGGER = Logger.getLogger(PlatformshKeys.class.getName());

    /**
     * Credentials already reported missing. Any caller with a signature header makes us resolve keys, so a missing
     * credential is logged at WARNING once (until it is found again), not once per request.
     */
    private static final Set<String> REPORTED_MISSING = ConcurrentHashMap.newKeySet();

    private PlatformshKeys() {}

    @SuppressWarnings("try") // the context only has to be open
    public static List<VerificationKey> resolve(PlatformshGlobalConfiguration config, PlatformshTriggers triggers) {
        List<VerificationKey> keys = new ArrayList<>();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            String sharedKeyId = Util.fixEmptyAndTrim(config.getCredentialsId());
            if (sharedKeyId != null) {
                StringCredentials c = found(SecretTexts.global(sharedKeyId), "shared key " + sharedKeyId);
                if (c != null) {
                    addSharedKey(keys, sharedKeyId, c, true);
                }
            }
            String tokenId = Util.fixEmptyAndTrim(config.getTokenCredentialsId());
            if (tokenId != null) {
                StringCredentials c = found(SecretTexts.global(tokenId), "token " + tokenId);
                if (c != null) {
                    addToken(keys, tokenId, c, true);
                }
            }
            for (PlatformshAdditionalKey k : config.getAdditionalKeys()) {
                StringCredentials c =
                        found(SecretTexts.global(k.getCredentialsId()), "additional key " + k.getCredentialsId());
                if (c == null) {
                    continue;
                }
                // Like a trigger's key, it may hold a shared key or a token; limited to its projects, if any.
                int from = keys.size();
                addSharedKey(keys, k.getCredentialsId(), c, true);
                addToken(keys, k.getCredentialsId(), c, true);
                for (int i = from; i < keys.size(); i++) {
                    keys.set(i, keys.get(i).forProjects(k.getProjects()));
                }
            }
            Map<String, String> byTrigger = triggers.credentialsByTarget();
            for (Map.Entry<String, String> e : byTrigger.entrySet()) {
                addJobKey(keys, e.getKey(), e.getValue(), "the trigger of ");
            }
            // A waiting step's own key, by the same rule: resolved in its job's context, valid for that job only.
            for (Map.Entry<String, Set<String>> e :
                    triggers.service().waits().credentialsByJob().entrySet()) {
                for (String id : e.getValue()) {
                    if (!id.equals(byTrigger.get(e.getKey()))) {
                        addJobKey(keys, e.getKey(), id, "waitForPlatformsh in ");
                    }
                }
            }
        }
        return keys;
    }

    private static void addJobKey(List<VerificationKey> keys, String job, String id, String namedBy) {
        StringCredentials c = found(secretTextFor(id, job), id + " named by " + namedBy + job);
        if (c == null) {
            return;
        }
        // A job's Secret text may hold either a shared key or a token: offer it as both, valid for this job only
        // (another folder may hold another secret under the same id).
        int from = keys.size();
        addSharedKey(keys, id, c, false);
        addToken(keys, id, c, false);
        for (int i = from; i < keys.size(); i++) {
            keys.set(i, keys.get(i).forTarget(job));
        }
    }

    /** The credential, noting once (per what names it) that it is missing. */
    @CheckForNull
    private static StringCredentials found(@CheckForNull StringCredentials c, String what) {
        if (c != null) {
            REPORTED_MISSING.remove(what);
        } else if (REPORTED_MISSING.add(what)) {
            LOGGER.log(
                    Level.WARNING,
                    "Platform.sh credentials not found: {0}; deliveries it should verify are refused",
                    what);
        } else {
            LOGGER.log(Level.FINE, "Platform.sh credentials still not found: {0}", what);
        }
        return c;
    }

    /** A Secret text credential as the job sees it: ids are not unique across folders. */
    @CheckForNull
    private static StringCredentials secretTextFor(String id, String jobFullName) {
        return SecretTexts.inItem(id, Jenkins.get().getItemByFullName(jobFullName, Item.class));
    }

    private static void addSharedKey(List<VerificationKey> keys, String id, StringCredentials c, boolean global) {
        String text = c.getSecret().getPlainText();
        if (VerificationKey.isValidSharedKey(text)) { // any non-blank text: tried as base64 and as plain text
            keys.add(VerificationKey.sharedKey(id, text, global));
        }
    }

    private static void addToken(List<VerificationKey> keys, String id, StringCredentials c, boolean global) {
        String text = c.getSecret().getPlainText();
        if (!text.isBlank()) {
            keys.add(VerificationKey.token(id, text, global));
        }
    }
}

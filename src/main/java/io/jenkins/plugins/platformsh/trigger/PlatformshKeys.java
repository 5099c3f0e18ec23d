package io.jenkins.plugins.platformsh.trigger;

import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.Util;
import hudson.XmlFile;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.Saveable;
import hudson.model.listeners.SaveableListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.platformsh.config.PlatformshAdditionalKey;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.config.SecretTexts;
import io.jenkins.plugins.platformsh.delivery.verify.KeyListCache;
import io.jenkins.plugins.platformsh.delivery.verify.MissingKeys;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import io.jenkins.plugins.platformsh.delivery.verify.OneRolePerSecret;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Resolves, as SYSTEM, the secrets a delivery may be verified with: the global shared key and token, the additional
 * keys, and the keys each trigger and waiting step names, each in the one role it is named in. Only credentials ids
 * and secrets cross into the delivery package.
 *
 * <p>Deliveries use {@link #keys}: the list is resolved once per change of what names keys (a trigger registers or
 * goes, a wait naming keys starts or ends, the global configuration, the global credentials or a folder is saved)
 * and otherwise at most once per {@link KeyListCache#DEFAULT_TIME_TO_LIVE}, for credentials providers whose changes
 * nothing announces; after a trigger's or a wait's change, never more than once per {@link
 * KeyListCache#DEFAULT_MIN_INTERVAL}, so that a loop of waits cannot make every request pay a lookup.
 */
public final class PlatformshKeys {

    private static final Logger LOGGER = Logger.getLogger(PlatformshKeys.class.getName());

    /** Grows when the global configuration or a credentials store may have changed. */
    private static final AtomicLong SAVES = new AtomicLong();

    private PlatformshKeys() {}

    /** The keys for a delivery, resolved again only after a change (or the time to live). */
    public static List<VerificationKey> keys(PlatformshGlobalConfiguration config, PlatformshTriggers triggers) {
        // Read before resolving: a change made while resolving is seen by the next delivery.
        // Saves (administrators', credentials stores') are seen at once; triggers and waits, which a Pipeline can
        // start and end in a loop, at most once per interval.
        long saves = SAVES.get();
        long version = triggers.keysVersion() + triggers.service().waits().keysVersion();
        return triggers.keyCache().get(saves, version, () -> resolve(config, triggers));
    }

    /** The keys as configured this instant, without the cache: for an administrator's dry run and replay. */
    @SuppressWarnings("try") // the context only has to be open
    public static List<VerificationKey> resolve(PlatformshGlobalConfiguration config, PlatformshTriggers triggers) {
        List<OneRolePerSecret.Candidate> candidates = new ArrayList<>();
        MissingKeys missing = triggers.missingKeys();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            String sharedKeyId = Util.fixEmptyAndTrim(config.getCredentialsId());
            if (sharedKeyId != null) {
                add(
                        candidates,
                        missing,
                        NamedKey.sharedKey(sharedKeyId),
                        SecretTexts.global(sharedKeyId),
                        "",
                        true,
                        null);
            }
            String tokenId = Util.fixEmptyAndTrim(config.getTokenCredentialsId());
            if (tokenId != null && tokenId.equals(sharedKeyId)) {
                // One credential, one role: the shared key would otherwise be open to guesses with ?token=.
                if (missing.missing("token same as shared key " + tokenId)) {
                    LOGGER.log(
                            Level.WARNING,
                            "Platform.sh Webhook: the token names the same credentials as the shared key ({0}); it is "
                                    + "used as the shared key only. Choose another Secret text as the token.",
                            tokenId);
                }
            } else if (tokenId != null) {
                add(candidates, missing, NamedKey.token(tokenId), SecretTexts.global(tokenId), "", true, null);
            }
            for (PlatformshAdditionalKey k : config.getAdditionalKeys()) {
                // Each in the role the administrator chose, limited to its projects, if any.
                for (NamedKey named : k.namedKeys()) {
                    add(
                            candidates,
                            missing,
                            named,
                            SecretTexts.global(named.credentialsId()),
                            " (additional key)",
                            true,
                            key -> key.forProjects(k.getProjects()));
                }
            }
            // A trigger's and a waiting step's own keys: resolved in the job's context, valid for that job only. A
            // job naming the same id in the same role twice (its trigger and a wait) gets one key.
            Set<String> seen = new HashSet<>();
            for (Map.Entry<String, List<NamedKey>> e : triggers.keysByTarget().entrySet()) {
                for (NamedKey named : e.getValue()) {
                    if (seen.add(e.getKey() + '\u0000' + named)) {
                        addJobKey(candidates, missing, e.getKey(), named, "the trigger of ");
                    }
                }
            }
            for (Map.Entry<String, Set<NamedKey>> e :
                    triggers.service().waits().credentialsByJob().entrySet()) {
                for (NamedKey named : e.getValue()) {
                    if (seen.add(e.getKey() + '\u0000' + named)) {
                        addJobKey(candidates, missing, e.getKey(), named, "waitForPlatformsh in ");
                    }
                }
            }
        }
        // Across configurations too: a token holding any shared key's secret would reopen that key to guesses.
        return OneRolePerSecret.keys(candidates, named -> {
            if (missing.missing("token holds a shared key " + named.credentialsId())) {
                LOGGER.log(
                        Level.WARNING,
                        "Platform.sh Webhook: {0} holds the same secret as a shared key; it is not used as a token. "
                                + "Choose another Secret text as the token.",
                        named.describe());
            }
        });
    }

    private static void addJobKey(
            List<OneRolePerSecret.Candidate> candidates,
            MissingKeys missing,
            String job,
            NamedKey named,
            String namedBy) {
        // Another folder may hold another secret under the same id: valid for this job only.
        add(
                candidates,
                missing,
                named,
                secretTextFor(named.credentialsId(), job),
                " named by " + namedBy + job,
                false,
                key -> key.forTarget(job));
    }

    private static void add(
            List<OneRolePerSecret.Candidate> candidates,
            MissingKeys missing,
            NamedKey named,
            @CheckForNull StringCredentials c,
            String where,
            boolean global,
            @CheckForNull UnaryOperator<VerificationKey> scope) {
        if (found(missing, c, named, where) != null) {
            candidates.add(new OneRolePerSecret.Candidate(
                    named, c.getSecret().getPlainText(), global, scope == null ? UnaryOperator.identity() : scope));
        }
    }

    /** The credential, noting once (per what names it) that it is missing. Never the secret. */
    @CheckForNull
    private static StringCredentials found(
            MissingKeys missing, @CheckForNull StringCredentials c, NamedKey named, String where) {
        String what = named.describe() + where;
        if (c != null) {
            missing.found(what);
        } else if (missing.missing(what)) {
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

    /**
     * Resolves the keys again at the next delivery when what they are read from is saved: the global configuration,
     * the global credentials store, or a folder (folder credentials are saved with the folder). Credentials of other
     * providers are seen within the cache's time to live.
     */
    @Extension
    public static final class CredentialsSaved extends SaveableListener {
        @Override
        public void onChange(Saveable o, XmlFile file) {
            if (o instanceof PlatformshGlobalConfiguration
                    || o instanceof SystemCredentialsProvider
                    || o instanceof ItemGroup) {
                SAVES.incrementAndGet();
            }
        }
    }
}

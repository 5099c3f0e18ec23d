package io.jenkins.plugins.platformsh.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.security.ACL;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Finds a Secret text credential by id, as SYSTEM: exactly what a delivery will be verified with. */
public final class SecretTexts {

    private SecretTexts() {}

    /** A Secret text credential of the global (root) store, including SYSTEM scope; call as SYSTEM or admin. */
    @CheckForNull
    public static StringCredentials global(String id) {
        return CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(
                        StringCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of()),
                CredentialsMatchers.withId(id));
    }

    /**
     * A Secret text credential as the item sees it (its folders' stores, then the global one); null item: the global
     * store. Any item, not only a job: a multibranch project carries the trigger too, and its own credentials store.
     */
    @CheckForNull
    public static StringCredentials inItem(String id, @CheckForNull Item item) {
        if (item == null) {
            return global(id);
        }
        return CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItem(StringCredentials.class, item, ACL.SYSTEM2, List.of()),
                CredentialsMatchers.withId(id));
    }
}

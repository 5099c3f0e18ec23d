package io.jenkins.plugins.platformsh;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.FreeStyleProject;
import hudson.util.Secret;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jenkins.branch.BranchSource;
import jenkins.model.Jenkins;
import jenkins.scm.impl.mock.MockSCMController;
import jenkins.scm.impl.mock.MockSCMDiscoverBranches;
import jenkins.scm.impl.mock.MockSCMSource;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/** Signs and posts deliveries the way Platform.sh does, for the adapter tests. */
final class Deliveries {

    /** A shared key as Platform.sh users type it: base64url text (here of "a-test-shared-key-32-bytes-long!"). */
    static final String SHARED_KEY = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("a-test-shared-key-32-bytes-long!".getBytes(StandardCharsets.US_ASCII));

    static final String OTHER_KEY = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("another-key-nobody-configured-!!".getBytes(StandardCharsets.US_ASCII));

    private static final String PROTECTED = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}".getBytes(StandardCharsets.US_ASCII));

    private Deliveries() {}

    /** X-JWS-Signature: b64url(protected) + ".." + b64url(HMAC-SHA256(b64url-decode(key), protected + "." + body)). */
    static String sign(String sharedKey, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode(sharedKey), "HmacSHA256"));
        mac.update((PROTECTED + ".").getBytes(StandardCharsets.US_ASCII));
        byte[] digest = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        return PROTECTED + ".." + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    static String sample(String name) throws IOException {
        try (InputStream in = Deliveries.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Security on, with {@code admin} (Administer) and {@code reader} (Overall/Read only), no quiet period, and the
     * default shared key: what the tests of the administrators' pages start from.
     */
    static void adminAndReaderWithSharedKey(JenkinsRule r) throws IOException {
        r.jenkins.setQuietPeriod(0);
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin")
                .grant(Jenkins.READ)
                .everywhere()
                .to("reader"));
        configureSharedKey("psh-key", SHARED_KEY);
    }

    /** Stores the shared key as a global Secret text credential and makes it the default key. */
    static void configureSharedKey(String id, String key) throws IOException {
        addSecretText(id, key);
        PlatformshGlobalConfiguration.get().setCredentialsId(id);
    }

    static void addSecretText(String id, String secret) throws IOException {
        SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
        store.getCredentials()
                .add(new StringCredentialsImpl(CredentialsScope.GLOBAL, id, "test " + id, Secret.fromString(secret)));
        store.save();
    }

    /** POSTs a raw body without a crumb, as Platform.sh does. The samples are ASCII, so the encoding is moot. */
    static WebResponse post(JenkinsRule r, String path, String body, Map<String, String> headers) throws Exception {
        WebRequest request = new WebRequest(new URL(r.getURL(), path), HttpMethod.POST);
        request.setAdditionalHeader("Content-Type", "application/json");
        headers.forEach(request::setAdditionalHeader);
        request.setRequestBody(body);
        JenkinsRule.WebClient wc = r.createWebClient();
        wc.setThrowExceptionOnFailingStatusCode(false);
        return wc.getPage(request).getWebResponse();
    }

    /** A freestyle job with this trigger, started as a configuration save or a restart would start it. */
    static FreeStyleProject freestyle(JenkinsRule r, String name, PlatformshTrigger trigger) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject(name);
        p.addTrigger(trigger);
        trigger.start(p, true); // AbstractProject.addTrigger does not start it
        return p;
    }

    /**
     * A multibranch project {@code mp} with the trigger, over a repository {@code repo} whose {@code master} has a
     * Jenkinsfile and a branch {@code feature-x} of it, indexed (so both branch jobs built once).
     */
    static WorkflowMultiBranchProject indexedMultibranch(JenkinsRule r, MockSCMController c) throws Exception {
        c.createRepository("repo");
        c.addFile("repo", "master", "Jenkinsfile", "Jenkinsfile", "echo 'hi'".getBytes(StandardCharsets.UTF_8));
        c.cloneBranch("repo", "master", "feature-x");
        WorkflowMultiBranchProject mp = r.jenkins.createProject(WorkflowMultiBranchProject.class, "mp");
        mp.getSourcesList().add(new BranchSource(new MockSCMSource(c, "repo", new MockSCMDiscoverBranches())));
        mp.addTrigger(new PlatformshTrigger());
        mp.save();
        mp.scheduleBuild2(0).getFuture().get();
        r.waitUntilNoActivity();
        return mp;
    }

    static WebResponse postSigned(JenkinsRule r, String body, String key) throws Exception {
        return post(r, "platformsh-webhook/", body, Map.of("X-JWS-Signature", sign(key, body)));
    }
}

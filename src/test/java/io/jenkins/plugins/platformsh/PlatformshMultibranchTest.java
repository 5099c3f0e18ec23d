package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.hudson.plugins.folder.Folder;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.trigger.PlatformshCause;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jenkins.branch.BranchIndexingCause;
import jenkins.branch.BranchProperty;
import jenkins.branch.BranchSource;
import jenkins.branch.DefaultBranchPropertyStrategy;
import jenkins.branch.NoTriggerBranchProperty;
import jenkins.scm.impl.mock.MockSCMController;
import jenkins.scm.impl.mock.MockSCMDiscoverBranches;
import jenkins.scm.impl.mock.MockSCMDiscoverChangeRequests;
import jenkins.scm.impl.mock.MockSCMSource;
import org.htmlunit.WebResponse;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** A multibranch project's trigger builds the branch job of the activity's environment; branch jobs default to theirs. */
@WithJenkins
class PlatformshMultibranchTest {

    /** Prints what a delivery gives a build: its variables and the step's data. */
    private static final String JENKINSFILE =
            """
            echo "ENV=${env.PLATFORMSH_ENVIRONMENT} COMMIT=${env.PLATFORMSH_COMMIT}"
            if (currentBuild.getBuildCauses('io.jenkins.plugins.platformsh.trigger.PlatformshCause')) {
              echo "STEP environment=${platformshActivity().environment}"
            }
            """;

    /** The same with the branch job's own trigger, which should listen to that branch only. */
    private static final String DECLARATIVE =
            """
            pipeline {
              agent none
              triggers { platformsh() }
              stages { stage('s') { steps { echo "ENV=${env.PLATFORMSH_ENVIRONMENT}" } } }
            }
            """;

    private JenkinsRule r;
    private MockSCMController c;
    private int activities;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
        c = MockSCMController.create();
        c.createRepository("repo");
        c.addFile("repo", "master", "Jenkinsfile", "Jenkinsfile", JENKINSFILE.getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("io.jenkins.plugins.platformsh.multibranch.NewBranchBuilds.waitSeconds");
        c.close();
    }

    /** A push to {@code environment}, a new activity each time (the same id would be a duplicate). */
    private WebResponse push(String environment) throws Exception {
        String body = Deliveries.sample("push-feature.json")
                .replace("feature-x", environment)
                .replace("tstact0000002", "tstactmb" + (++activities));
        return Deliveries.postSigned(r, body, Deliveries.SHARED_KEY);
    }

    private WorkflowMultiBranchProject project(String name, boolean trigger) throws Exception {
        WorkflowMultiBranchProject mp = r.jenkins.createProject(WorkflowMultiBranchProject.class, name);
        return configure(mp, trigger);
    }

    private WorkflowMultiBranchProject configure(WorkflowMultiBranchProject mp, boolean trigger) throws Exception {
        mp.getSourcesList()
                .add(new BranchSource(new MockSCMSource(
                        c, "repo", new MockSCMDiscoverBranches(), new MockSCMDiscoverChangeRequests())));
        if (trigger) {
            mp.addTrigger(new PlatformshTrigger());
        }
        mp.save();
        index(mp);
        return mp;
    }

    private void index(WorkflowMultiBranchProject mp) throws Exception {
        mp.scheduleBuild2(0).getFuture().get();
        r.waitUntilNoActivity();
    }

    private static DeliveryLog.Entry lastDelivery() {
        return PlatformshTriggers.get().service().log().newestFirst().get(0);
    }

    private static String reasonFor(DeliveryLog.Entry e, String target) {
        MatchResult.TargetResult t = e.resultFor(target);
        return t == null ? null : t.reason();
    }

    private static WorkflowJob job(WorkflowMultiBranchProject mp, String branch) {
        return mp.getItemByBranchName(branch);
    }

    @Test
    void anExistingBranchJobIsBuiltWithTheDeliverysCauseAndVariables() throws Exception {
        c.cloneBranch("repo", "master", "feature-x");
        WorkflowMultiBranchProject mp = project("mp", true);
        assertEquals(1, job(mp, "feature-x").getBuilds().size(), "indexing built it once");

        WebResponse answer = push("feature-x");
        assertEquals(200, answer.getStatusCode());
        assertEquals("accepted", answer.getContentAsString().trim());
        r.waitUntilNoActivity();

        WorkflowRun b = job(mp, "feature-x").getLastBuild();
        assertEquals(2, b.getNumber());
        assertNotNull(b.getCause(PlatformshCause.class));
        r.assertLogContains("ENV=feature-x COMMIT=2222222222222222222222222222222222222222", b);
        r.assertLogContains("STEP environment=feature-x", b);
        assertEquals(1, job(mp, "master").getBuilds().size(), "another branch is not built");
        assertEquals("queued: branch job feature-x (branch 'feature-x')", reasonFor(lastDelivery(), "mp"));
    }

    @Test
    void aNewBranchIsIndexedThenBuiltExactlyOnceWithTheDeliverysVariables() throws Exception {
        WorkflowMultiBranchProject mp = project("mp", true);
        assertNull(job(mp, "feature-new"));
        c.cloneBranch("repo", "master", "feature-new"); // pushed, mirrored to Platform.sh: the environment is new

        WebResponse answer = push("feature-new");
        assertEquals(200, answer.getStatusCode());
        assertEquals("accepted", answer.getContentAsString().trim());
        // What the page says meanwhile ("branch indexing scheduled ...") may already be replaced: indexing is quick
        // here.
        r.waitUntilNoActivity();

        WorkflowJob job = job(mp, "feature-new");
        assertNotNull(job, "indexing created the branch job");
        assertEquals(1, job.getBuilds().size(), "one build, not one from indexing and one from the delivery");
        WorkflowRun b = job.getLastBuild();
        assertNotNull(b.getCause(PlatformshCause.class));
        assertNotNull(b.getCause(BranchIndexingCause.class), "indexing's request folded into the delivery's build");
        r.assertLogContains("ENV=feature-new COMMIT=2222222222222222222222222222222222222222", b);
        String reason = reasonFor(lastDelivery(), "mp");
        assertTrue(reason.startsWith("queued: branch job feature-new (it appeared after branch indexing"), reason);
        assertNotNull(
                mp.getComputation().getCauses().stream()
                        .filter(PlatformshCause.class::isInstance)
                        .findFirst()
                        .orElse(null),
                "the indexing says it was started by the delivery");
    }

    /**
     * "Suppress automatic SCM triggering": branch-api vetoes indexing's own first build. The delivery's build must
     * survive that veto (folding runs after every other queue handler), not be cancelled into a request that is then
     * refused.
     */
    @Test
    void withAutomaticTriggeringSuppressedTheDeliveryStillBuildsTheNewBranch() throws Exception {
        WorkflowMultiBranchProject mp = r.jenkins.createProject(WorkflowMultiBranchProject.class, "quiet");
        BranchSource source = new BranchSource(new MockSCMSource(c, "repo", new MockSCMDiscoverBranches()));
        source.setStrategy(new DefaultBranchPropertyStrategy(new BranchProperty[] {new NoTriggerBranchProperty()}));
        mp.getSourcesList().add(source);
        mp.addTrigger(new PlatformshTrigger());
        mp.save();
        index(mp);
        c.cloneBranch("repo", "master", "feature-quiet");

        assertEquals(200, push("feature-quiet").getStatusCode());
        r.waitUntilNoActivity();

        WorkflowJob job = job(mp, "feature-quiet");
        assertNotNull(job, "indexing created the branch job");
        assertEquals(1, job.getBuilds().size(), "the delivery's build, although indexing's own was suppressed");
        assertNotNull(job.getLastBuild().getCause(PlatformshCause.class));
    }

    @Test
    void aBranchThatNeverAppearsEndsItsWaitWithAReason() throws Exception {
        System.setProperty("io.jenkins.plugins.platformsh.multibranch.NewBranchBuilds.waitSeconds", "1");
        WorkflowMultiBranchProject mp = project("mp", true);
        assertEquals(200, push("no-such-branch").getStatusCode());
        r.waitUntilNoActivity();
        String reason = reasonFor(lastDelivery(), "mp");
        while (reason.startsWith("queued")) { // the wait ends a second after indexing; the reason then changes once
            Thread.sleep(100);
            reason = reasonFor(lastDelivery(), "mp");
        }
        assertEquals(
                "matched, but skipped: no branch job for branch 'no-such-branch' or 'no-such-branch-def5678' "
                        + "appeared within 1 second after branch indexing; nothing was built",
                reason);
        assertNull(job(mp, "no-such-branch"));
    }

    /**
     * Issue 21, point 9: with unsigned deliveries accepted, an unsigned delivery for an environment without a branch
     * job schedules no branch indexing. The branch exists in the repository, so an indexing would have created its job.
     */
    @Test
    void anUnsignedDeliveryForAnUnknownEnvironmentSchedulesNoIndexing() throws Exception {
        io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration.get().setAcceptUnsigned(true);
        WorkflowMultiBranchProject mp = project("mp", true);
        long indexedAt = mp.getComputation().getTimestamp().getTimeInMillis();
        c.cloneBranch("repo", "master", "feature-anon");
        String body = Deliveries.sample("push-feature.json")
                .replace("feature-x", "feature-anon")
                .replace("tstact0000002", "tstactanon1");

        WebResponse answer = Deliveries.post(r, "platformsh-webhook/", body, java.util.Map.of());
        assertEquals(200, answer.getStatusCode(), answer.getContentAsString());
        r.waitUntilNoActivity();

        assertNull(job(mp, "feature-anon"), "no indexing created the branch job");
        assertEquals(
                indexedAt, mp.getComputation().getTimestamp().getTimeInMillis(), "the project was not indexed again");
        assertTrue(
                mp.getComputation().getCauses().stream().noneMatch(PlatformshCause.class::isInstance),
                "no indexing was started by a delivery");
        assertEquals(
                "matched, but skipped: no branch job for branch 'feature-anon' or 'feature-anon-def5678', and a "
                        + "delivery no key verified never schedules branch indexing",
                reasonFor(lastDelivery(), "mp"));

        // A signed delivery for the same environment still has the project index its branches.
        assertEquals(200, push("feature-anon").getStatusCode());
        r.waitUntilNoActivity();
        assertNotNull(job(mp, "feature-anon"), "indexing created the branch job");
    }

    @Test
    void aSecondDeliveryForAnEnvironmentWithoutBranchJobDoesNotIndexAgain() throws Exception {
        System.setProperty("io.jenkins.plugins.platformsh.multibranch.NewBranchBuilds.waitSeconds", "60");
        project("mp", true);
        assertEquals(200, push("psh-only").getStatusCode());
        r.waitUntilNoActivity();
        assertTrue(reasonFor(lastDelivery(), "mp").contains(": branch indexing scheduled;"));
        assertEquals(200, push("psh-only").getStatusCode()); // an environment that exists only on Platform.sh
        r.waitUntilNoActivity();
        assertEquals(
                "queued: no branch job for branch 'psh-only' or 'psh-only-def5678': branch indexing for an earlier "
                        + "delivery is under way, so it is not scheduled again; its job will be built once when it "
                        + "appears (waiting up to 1 minute)",
                reasonFor(lastDelivery(), "mp"));
    }

    @Test
    void aPullRequestEnvironmentBuildsTheChangeRequestJob() throws Exception {
        Integer number = c.openChangeRequest("repo", "master");
        WorkflowMultiBranchProject mp = project("mp", true);
        WorkflowJob cr = mp.getItem("CR-" + number);
        assertNotNull(cr, "the mock source names change request jobs CR-N: " + mp.getItems());
        assertEquals(1, cr.getBuilds().size());

        assertEquals(200, push("pr-" + number).getStatusCode());
        r.waitUntilNoActivity();
        assertEquals(2, cr.getBuilds().size());
        r.assertLogContains("ENV=pr-" + number, cr.getLastBuild());
        assertEquals(1, job(mp, "master").getBuilds().size());
        assertEquals(
                "queued: branch job CR-" + number + " (change request " + number + ")",
                reasonFor(lastDelivery(), "mp"));
    }

    @Test
    void aDisabledBranchJobIsAReasonNotAnError() throws Exception {
        c.cloneBranch("repo", "master", "feature-x");
        WorkflowMultiBranchProject mp = project("mp", true);
        job(mp, "feature-x").makeDisabled(true);

        WebResponse answer = push("feature-x");
        assertEquals(200, answer.getStatusCode());
        assertEquals(
                "ignored: the matching jobs cannot build (skipped; the deliveries page says why)",
                answer.getContentAsString().trim());
        r.waitUntilNoActivity();
        assertEquals(1, job(mp, "feature-x").getBuilds().size());
        assertEquals("matched, but skipped: the branch job feature-x is disabled", reasonFor(lastDelivery(), "mp"));
    }

    @Test
    void anOrphanedBranchJobIsAReasonNotAnError() throws Exception {
        c.cloneBranch("repo", "master", "gone");
        WorkflowMultiBranchProject mp = r.jenkins.createProject(WorkflowMultiBranchProject.class, "mp");
        mp.setOrphanedItemStrategy(
                new com.cloudbees.hudson.plugins.folder.computed.DefaultOrphanedItemStrategy(false, "", ""));
        configure(mp, true);
        c.deleteBranch("repo", "gone");
        index(mp);
        assertNotNull(job(mp, "gone"), "kept by the orphaned item strategy");

        assertEquals(200, push("gone").getStatusCode());
        r.waitUntilNoActivity();
        assertEquals(1, job(mp, "gone").getBuilds().size());
        assertEquals(
                "matched, but skipped: the branch job gone is orphaned: its branch is gone from the source",
                reasonFor(lastDelivery(), "mp"));
    }

    @Test
    void aBranchJobsOwnTriggerListensToItsBranchOnly() throws Exception {
        c.addFile("repo", "master", "declarative", "Jenkinsfile", DECLARATIVE.getBytes(StandardCharsets.UTF_8));
        c.cloneBranch("repo", "master", "feature-x");
        WorkflowMultiBranchProject mp = project("mp", false); // the first runs register the branch jobs' triggers

        assertEquals(200, push("feature-x").getStatusCode());
        r.waitUntilNoActivity();
        assertEquals(2, job(mp, "feature-x").getBuilds().size());
        r.assertLogContains("ENV=feature-x", job(mp, "feature-x").getLastBuild());
        assertEquals(1, job(mp, "master").getBuilds().size(), "before: every branch job that had run once was built");
        assertEquals(
                "environment feature-x is not one of [master] (this branch job's own environment)",
                reasonFor(lastDelivery(), "mp/master"));

        mp.addTrigger(new PlatformshTrigger()); // the project's trigger too: still one build per branch job
        assertEquals(200, push("feature-x").getStatusCode());
        r.waitUntilNoActivity();
        assertEquals(3, job(mp, "feature-x").getBuilds().size());
        assertEquals(
                "matched, but skipped: the branch job feature-x is built by its own Platform.sh trigger for this "
                        + "delivery",
                reasonFor(lastDelivery(), "mp"));
    }

    @Test
    void aRenamedFolderKeepsItsProjectTriggered() throws Exception {
        c.cloneBranch("repo", "master", "feature-x");
        Folder team = r.jenkins.createProject(Folder.class, "team");
        WorkflowMultiBranchProject mp = configure(team.createProject(WorkflowMultiBranchProject.class, "mp"), true);
        team.renameTo("team-renamed");
        assertEquals("team-renamed/mp", mp.getFullName());

        assertEquals(200, push("feature-x").getStatusCode());
        r.waitUntilNoActivity();
        assertEquals(2, job(mp, "feature-x").getBuilds().size());
        assertEquals("queued: branch job feature-x (branch 'feature-x')", reasonFor(lastDelivery(), "team-renamed/mp"));
        assertEquals(
                List.of("team-renamed/mp"),
                lastDelivery().targets().stream()
                        .map(MatchResult.TargetResult::targetId)
                        .filter(id -> id.endsWith("/mp"))
                        .toList());
    }

    @Test
    void jobDslConfiguresTheTriggerOnAMultibranchProject() throws Exception {
        hudson.ExtensionList.lookupSingleton(javaposse.jobdsl.plugin.GlobalJobDslSecurityConfiguration.class)
                .setUseScriptSecurity(false);
        hudson.model.FreeStyleProject seed = r.createFreeStyleProject("seed");
        javaposse.jobdsl.plugin.ExecuteDslScripts dsl = new javaposse.jobdsl.plugin.ExecuteDslScripts();
        dsl.setScriptText(
                """
                multibranchPipelineJob('from-dsl') {
                  triggers {
                    platformsh {
                      events('environment.push')
                      excludedEnvironments('main')
                    }
                  }
                }
                """);
        seed.getBuildersList().add(dsl);
        r.buildAndAssertSuccess(seed);
        WorkflowMultiBranchProject mp = r.jenkins.getItemByFullName("from-dsl", WorkflowMultiBranchProject.class);
        PlatformshTrigger t = (PlatformshTrigger) mp.getTriggers().values().stream()
                .filter(PlatformshTrigger.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals("environment.push", t.getEvents());
        assertEquals("main", t.getExcludedEnvironments());
        assertEquals("complete", t.getStates(), "unset fields keep their defaults");
        assertNotNull(PlatformshTriggers.get().service().index().get("from-dsl"), "the trigger is active");
    }

    @Test
    void theProjectsOwnKeyIsReadFromItsOwnCredentialsStore() throws Exception {
        c.cloneBranch("repo", "master", "feature-x");
        WorkflowMultiBranchProject mp = r.jenkins.createProject(WorkflowMultiBranchProject.class, "mp");
        com.cloudbees.plugins.credentials.CredentialsStore store = null;
        for (com.cloudbees.plugins.credentials.CredentialsStore s :
                com.cloudbees.plugins.credentials.CredentialsProvider.lookupStores(mp)) {
            if (s.getContext() == mp) {
                store = s;
            }
        }
        assertNotNull(store, "a multibranch project is a folder with its own credentials");
        store.addCredentials(
                com.cloudbees.plugins.credentials.domains.Domain.global(),
                new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(
                        com.cloudbees.plugins.credentials.CredentialsScope.GLOBAL,
                        "mb-key",
                        "mb",
                        hudson.util.Secret.fromString(Deliveries.OTHER_KEY)));
        PlatformshTrigger t = new PlatformshTrigger();
        t.setCredentialsId("mb-key");
        mp.addTrigger(t);
        configure(mp, false);

        String body = Deliveries.sample("push-feature.json").replace("tstact0000002", "tstactmbkey");
        WebResponse answer = Deliveries.postSigned(r, body, Deliveries.OTHER_KEY);
        assertEquals(200, answer.getStatusCode(), answer.getContentAsString());
        r.waitUntilNoActivity();
        assertEquals(2, job(mp, "feature-x").getBuilds().size());
    }

    @Test
    void theTriggerIsOfferedWithTheProjectsScanTriggersAndSurvivesTheForm() throws Exception {
        WorkflowMultiBranchProject mp = r.jenkins.createProject(WorkflowMultiBranchProject.class, "mp");
        assertTrue(
                hudson.triggers.Trigger.for_(mp)
                        .contains(r.jenkins.getDescriptorByType(PlatformshTrigger.DescriptorImpl.class)),
                "listed where 'Scan Multibranch Pipeline Triggers' lists its triggers");
        assertTrue(
                !hudson.triggers.Trigger.for_(r.jenkins.createProject(Folder.class, "plain"))
                        .contains(r.jenkins.getDescriptorByType(PlatformshTrigger.DescriptorImpl.class)),
                "a plain folder builds nothing");
        PlatformshTrigger t = new PlatformshTrigger();
        t.setEnvironments("feature-*");
        t.setExcludedEnvironments("feature-old");
        mp.addTrigger(t);
        mp.save();
        r.configRoundtrip(mp);
        PlatformshTrigger after = (PlatformshTrigger) mp.getTriggers().values().stream()
                .filter(PlatformshTrigger.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals("feature-*", after.getEnvironments());
        assertEquals("feature-old", after.getExcludedEnvironments());
        assertEquals(
                "feature-*",
                PlatformshTriggers.get().service().index().get("mp").environments());
    }
}

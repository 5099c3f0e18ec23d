package io.jenkins.plugins.platformsh.multibranch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.ParametersAction;
import hudson.model.Queue;
import hudson.model.StringParameterValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import jenkins.branch.BranchIndexingCause;
import jenkins.branch.BranchSource;
import jenkins.scm.impl.mock.MockSCMController;
import jenkins.scm.impl.mock.MockSCMDiscoverBranches;
import jenkins.scm.impl.mock.MockSCMSource;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Only branch indexing's request folds into a delivery's build of a new branch job; anyone else's builds as asked. */
@WithJenkins
class FoldIntoDeliveryBuildTest {

    private JenkinsRule r;
    private MockSCMController c;
    private WorkflowJob job;
    private Queue.Item delivery;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        c = MockSCMController.create();
        c.createRepository("repo");
        c.addFile(
                "repo",
                "master",
                "Jenkinsfile",
                "Jenkinsfile",
                "echo 'P=' + params.P".getBytes(StandardCharsets.UTF_8));
        WorkflowMultiBranchProject mp = r.jenkins.createProject(WorkflowMultiBranchProject.class, "mp");
        mp.getSourcesList().add(new BranchSource(new MockSCMSource(c, "repo", new MockSCMDiscoverBranches())));
        mp.scheduleBuild2(0).getFuture().get();
        r.waitUntilNoActivity();
        job = mp.getItemByBranchName("master");
        assertNotNull(job);
        // What NewBranchBuilds does when the job appears: the delivery's build waits, its fold window open.
        delivery = r.jenkins
                .getQueue()
                .schedule2(
                        job,
                        600,
                        new CauseAction(new Cause.RemoteCause("platform.sh", "the delivery")),
                        new ParametersAction(new StringParameterValue("P", "delivery")))
                .getItem();
        assertNotNull(delivery);
        NewBranchBuilds.get()
                .folds()
                .open(
                        job.getFullName(),
                        new NewBranchBuilds.Queued(delivery.getId(), "d-none", "mp", job.getName()),
                        Instant.now().plusSeconds(600));
    }

    @AfterEach
    void tearDown() {
        r.jenkins.getQueue().clear();
        c.close();
    }

    @Test
    void aUsersBuildWithParametersInTheWindowIsNotFolded() throws Exception {
        Queue.Item user = r.jenkins
                .getQueue()
                .schedule2(
                        job,
                        0,
                        new CauseAction(new Cause.UserIdCause("alice")),
                        new ParametersAction(new StringParameterValue("P", "alice")))
                .getItem();
        assertNotNull(user, "the user's request is queued");
        assertTrue(
                r.jenkins.getQueue().getItem(delivery.getId()) instanceof Queue.WaitingItem,
                "the delivery's build still waits");
        assertTrue(NewBranchBuilds.get().folds().isOpen(job.getFullName(), Instant.now()), "indexing may still fold");
        assertNotNull(user.getCauses().stream()
                .filter(Cause.UserIdCause.class::isInstance)
                .findFirst()
                .orElse(null));
        assertTrue(
                user.getCauses().stream().noneMatch(Cause.RemoteCause.class::isInstance), "no cause of the delivery's");
        assertEquals("alice", parameter(user));
    }

    private static Object parameter(Queue.Item item) {
        return item.getAction(ParametersAction.class).getParameter("P").getValue();
    }

    /** Branch-api's constructor is package-private: what its indexing passes, made here. */
    private static BranchIndexingCause indexingCause() throws Exception {
        java.lang.reflect.Constructor<BranchIndexingCause> k = BranchIndexingCause.class.getDeclaredConstructor();
        k.setAccessible(true);
        return k.newInstance();
    }

    @Test
    void indexingsRequestInTheWindowIsFolded() throws Exception {
        Queue.Item indexing = r.jenkins
                .getQueue()
                .schedule2(job, 0, new CauseAction(indexingCause()))
                .getItem();
        assertNotNull(indexing);
        assertTrue(
                r.jenkins.getQueue().getItem(delivery.getId()) instanceof Queue.LeftItem left && left.isCancelled(),
                "the delivery's build joined indexing's");
        assertFalse(NewBranchBuilds.get().folds().isOpen(job.getFullName(), Instant.now()));
        assertTrue(indexing.getCauses().stream().anyMatch(BranchIndexingCause.class::isInstance));
        assertTrue(
                indexing.getCauses().stream().anyMatch(Cause.RemoteCause.class::isInstance),
                "the delivery's cause came along");
        assertEquals("delivery", parameter(indexing));
    }
}

package io.jenkins.plugins.platformsh.delivery.schedule;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The build variables a delivery gives a job, values verbatim from the payload. A variable is set only when the
 * payload has a value for it, so {@code env.PLATFORMSH_MERGE_FROM} is absent, not empty, on a push. The table in
 * docs/variables.md lists them all; {@link #NAMES} is the same list in code.
 */
public final class Variables {

    public static final String ACTIVITY_ID = "PLATFORMSH_ACTIVITY_ID";
    public static final String ACTIVITY_URL = "PLATFORMSH_ACTIVITY_URL";
    public static final String EVENT = "PLATFORMSH_EVENT";
    public static final String PROJECT = "PLATFORMSH_PROJECT";
    public static final String ENVIRONMENT = "PLATFORMSH_ENVIRONMENT";
    public static final String ENVIRONMENT_TYPE = "PLATFORMSH_ENVIRONMENT_TYPE";
    public static final String BRANCH = "PLATFORMSH_BRANCH";
    public static final String GIT_REF = "PLATFORMSH_GIT_REF";
    public static final String MACHINE_NAME = "PLATFORMSH_MACHINE_NAME";
    public static final String PARENT_ENVIRONMENT = "PLATFORMSH_PARENT_ENVIRONMENT";
    public static final String COMMIT = "PLATFORMSH_COMMIT";
    public static final String PREVIOUS_COMMIT = "PLATFORMSH_PREVIOUS_COMMIT";
    public static final String COMMITS_COUNT = "PLATFORMSH_COMMITS_COUNT";
    public static final String COMMIT_MESSAGE = "PLATFORMSH_COMMIT_MESSAGE";
    public static final String COMMIT_AUTHOR = "PLATFORMSH_COMMIT_AUTHOR";
    public static final String STATE = "PLATFORMSH_STATE";
    public static final String RESULT = "PLATFORMSH_RESULT";
    public static final String USER = "PLATFORMSH_USER";
    public static final String URL = "PLATFORMSH_URL";
    public static final String ROUTES = "PLATFORMSH_ROUTES";
    public static final String MERGE_FROM = "PLATFORMSH_MERGE_FROM";
    public static final String MERGE_INTO = "PLATFORMSH_MERGE_INTO";
    public static final String CREATED_AT = "PLATFORMSH_CREATED_AT";
    public static final String COMPLETED_AT = "PLATFORMSH_COMPLETED_AT";
    public static final String TEXT = "PLATFORMSH_TEXT";
    public static final String HEALTH_COMPONENT = "PLATFORMSH_HEALTH_COMPONENT";
    public static final String HEALTH_SUBCOMPONENT = "PLATFORMSH_HEALTH_SUBCOMPONENT";
    public static final String HEALTH_SEVERITY = "PLATFORMSH_HEALTH_SEVERITY";
    public static final String HEALTH_MESSAGE = "PLATFORMSH_HEALTH_MESSAGE";
    public static final String HEALTH_SERVICE = "PLATFORMSH_HEALTH_SERVICE";
    public static final String HEALTH_INSTANCE = "PLATFORMSH_HEALTH_INSTANCE";

    /** Every variable name, in the order of the documentation table. */
    public static final List<String> NAMES = List.of(
            ACTIVITY_ID,
            ACTIVITY_URL,
            EVENT,
            PROJECT,
            ENVIRONMENT,
            ENVIRONMENT_TYPE,
            BRANCH,
            GIT_REF,
            MACHINE_NAME,
            PARENT_ENVIRONMENT,
            COMMIT,
            PREVIOUS_COMMIT,
            COMMITS_COUNT,
            COMMIT_MESSAGE,
            COMMIT_AUTHOR,
            STATE,
            RESULT,
            USER,
            URL,
            ROUTES,
            MERGE_FROM,
            MERGE_INTO,
            CREATED_AT,
            COMPLETED_AT,
            TEXT,
            HEALTH_COMPONENT,
            HEALTH_SUBCOMPONENT,
            HEALTH_SEVERITY,
            HEALTH_MESSAGE,
            HEALTH_SERVICE,
            HEALTH_INSTANCE);

    private Variables() {}

    /** The variables of one delivery, in the order of {@link #NAMES}; unmodifiable. */
    public static Map<String, String> of(Activity a) {
        Map<String, String> v = new LinkedHashMap<>(64); // about 25 variables: no resize on the way
        put(v, ACTIVITY_ID, a.id());
        put(v, ACTIVITY_URL, a.url());
        put(v, EVENT, a.type());
        put(v, PROJECT, a.project());
        put(v, ENVIRONMENT, a.environment());
        put(v, ENVIRONMENT_TYPE, a.environmentType());
        put(v, BRANCH, a.branch());
        put(v, GIT_REF, a.gitRef());
        put(v, MACHINE_NAME, a.machineName());
        put(v, PARENT_ENVIRONMENT, a.parentEnvironment());
        put(v, COMMIT, a.headCommit());
        put(v, PREVIOUS_COMMIT, a.previousCommit());
        if (a.kind() == Activity.Kind.ACTIVITY
                && (a.commitsCount() > 0 || !a.commits().isEmpty())) {
            put(v, COMMITS_COUNT, Integer.toString(a.commitsCount()));
        }
        Activity.Commit head = headCommit(a);
        if (head != null) {
            put(v, COMMIT_MESSAGE, head.message());
            put(v, COMMIT_AUTHOR, head.authorName());
        }
        put(v, STATE, a.state());
        put(v, RESULT, a.result());
        put(v, USER, a.userName());
        put(v, URL, a.primaryUrl());
        if (!a.routes().isEmpty()) {
            put(v, ROUTES, a.routes().stream().map(Activity.Route::url).collect(Collectors.joining(" ")));
        }
        put(v, MERGE_FROM, a.mergeFrom());
        put(v, MERGE_INTO, a.mergeInto());
        put(v, CREATED_AT, a.createdAt());
        put(v, COMPLETED_AT, a.completedAt());
        put(v, TEXT, a.text());
        put(v, HEALTH_COMPONENT, a.healthComponent());
        put(v, HEALTH_SUBCOMPONENT, a.healthSubcomponent());
        put(v, HEALTH_SEVERITY, a.healthSeverity());
        put(v, HEALTH_MESSAGE, a.healthMessage());
        put(v, HEALTH_SERVICE, a.healthService());
        put(v, HEALTH_INSTANCE, a.healthInstance());
        return Collections.unmodifiableMap(v);
    }

    /** The commit the environment ended at, when the payload lists it; else the last one listed. */
    static Activity.Commit headCommit(Activity a) {
        if (a.commits().isEmpty()) {
            return null;
        }
        for (Activity.Commit c : a.commits()) {
            if (c.sha().equals(a.headCommit())) {
                return c;
            }
        }
        return a.commits().get(a.commits().size() - 1);
    }

    private static void put(Map<String, String> v, String name, String value) {
        if (value != null) {
            v.put(name, value);
        }
    }
}

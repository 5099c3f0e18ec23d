package io.jenkins.plugins.platformsh.delivery.schedule;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.text.Json;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code platformshActivity()} step returns: the activity's fields as a map of plain, serializable values
 * (String, Boolean, Long, Double, LinkedHashMap, ArrayList), safe to keep in a Pipeline's program state.
 */
public final class ActivityView {

    private ActivityView() {}

    /**
     * @param redactedPayload the redacted JSON kept with the build, exposed parsed as {@code payload}; null to omit
     */
    public static Map<String, Object> toMap(Activity a, String redactedPayload) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", a.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("id", a.id());
        m.put("type", a.type());
        m.put("project", a.project());
        m.put("environment", a.environment());
        m.put("environments", new ArrayList<>(a.environments()));
        m.put("environmentType", a.environmentType());
        m.put("branch", a.branch());
        m.put("gitRef", a.gitRef());
        m.put("machineName", a.machineName());
        m.put("parentEnvironment", a.parentEnvironment());
        m.put("commit", a.headCommit());
        m.put("previousCommit", a.previousCommit());
        m.put("state", a.state());
        m.put("result", a.result());
        m.put("user", a.userName());
        m.put("url", a.primaryUrl());
        List<Object> routes = new ArrayList<>();
        for (Activity.Route r : a.routes()) {
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("url", r.url());
            route.put("primary", r.primary());
            routes.add(route);
        }
        m.put("routes", routes);
        List<Object> commits = new ArrayList<>();
        for (Activity.Commit c : a.commits()) {
            Map<String, Object> commit = new LinkedHashMap<>();
            commit.put("sha", c.sha());
            commit.put("authorName", c.authorName());
            commit.put("authorEmail", c.authorEmail());
            commit.put("message", c.message());
            commits.add(commit);
        }
        m.put("commits", commits);
        m.put("mergeFrom", a.mergeFrom());
        m.put("mergeInto", a.mergeInto());
        m.put("createdAt", a.createdAt());
        m.put("startedAt", a.startedAt());
        m.put("completedAt", a.completedAt());
        m.put("text", a.text());
        m.put("description", a.description());
        m.put("activityUrl", a.url());
        if (a.kind() == Activity.Kind.HEALTH) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("component", a.healthComponent());
            h.put("subcomponent", a.healthSubcomponent());
            h.put("severity", a.healthSeverity());
            h.put("message", a.healthMessage());
            h.put("service", a.healthService());
            h.put("instance", a.healthInstance());
            m.put("health", h);
        }
        m.put("variables", new LinkedHashMap<>(Variables.of(a)));
        if (redactedPayload != null) {
            m.put("payload", parse(redactedPayload));
        }
        return m;
    }

    /** Plain Java values for a JSON text; null if it is not JSON. */
    static Object parse(String json) {
        try (JsonParser p = Json.FACTORY.createParser(json.getBytes(StandardCharsets.UTF_8))) {
            JsonToken t = p.nextToken();
            return t == null ? null : value(p, t);
        } catch (IOException e) {
            return null;
        }
    }

    private static Serializable value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                LinkedHashMap<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                ArrayList<Object> l = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(value(p, e));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getText() : p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}

package io.jenkins.plugins.platformsh.delivery.activity;

import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.platformsh.delivery.activity.JsonCursor.Invalid;
import io.jenkins.plugins.platformsh.delivery.text.Clip;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Reads a delivery body in one streaming pass, keeping only the fields {@link Activity} has. Everything else,
 * {@code log} and the internals of {@code payload.deployment} above all, is skipped without being materialised.
 * Unknown fields and unexpected types of optional fields are tolerated; only a body that is not one JSON object, or
 * lacks what identifies it, or has a value over its bound ({@link FieldBounds}), is refused.
 */
public final class ActivityParser {

    /** Every field name this parser switches on (ActivityParserNamesTest keeps the list whole). */
    static final JsonCursor.Names NAMES = JsonCursor.Names.of(
            "_links author commit commits commits_count completed_at component created_at deployment description "
                    + "display_name email environment environment_info environments event from href id instance into log "
                    + "machine_name message name new_commit old_commit origin outcome parameters parent payload primary "
                    + "project reference result routes self service severity sha started_at state subcomponent text time "
                    + "type user");

    private final JsonCursor p;
    private final Activity.Builder a = new Activity.Builder();
    private final EnvironmentChoice choice = new EnvironmentChoice();
    private String newCommit;
    private String restoredCommit;
    private String healthTime;
    private String healthProject;
    private String healthEnvironment;
    private boolean sawEvent;

    private ActivityParser(JsonCursor p) {
        this.p = p;
    }

    /** Parses a whole body (a leading UTF-8 byte order mark is skipped). */
    public static Activity parse(byte[] body) throws MalformedDeliveryException {
        // One byte order mark, and one more after it: Jackson's encoding detection skipped a second, and bodies it
        // read before this parser was ours are still read.
        int afterFirst = hasBom(body, 0) ? 3 : 0;
        int offset = afterFirst == 3 && hasBom(body, 3) ? 6 : afterFirst;
        if (body.length - offset == 0 || isBlank(body, offset)) {
            throw new MalformedDeliveryException("the body is empty");
        }
        if (notUtf8(body, offset)) {
            // Jackson would guess UTF-16/32 from the zero bytes; the endpoint accepts UTF-8 JSON only, deliberately.
            throw new MalformedDeliveryException("the body is not UTF-8 JSON");
        }
        try {
            return new ActivityParser(new JsonCursor(body, offset, body.length, NAMES)).root();
        } catch (Invalid e) {
            // Off the straight path: Jackson says why, in the words it always has.
            // From after the first mark only, as before: Jackson steps over a second and counts it in its columns.
            throw InvalidJson.explain(body, afterFirst, e.offset);
        }
    }

    public static boolean hasBom(byte[] b) {
        return hasBom(b, 0);
    }

    private static boolean hasBom(byte[] b, int at) {
        return b.length >= at + 3 && (b[at] & 0xFF) == 0xEF && (b[at + 1] & 0xFF) == 0xBB && (b[at + 2] & 0xFF) == 0xBF;
    }

    /** JSON text in UTF-16 or UTF-32 has a zero byte among its first four (RFC 4627 section 3). */
    private static boolean notUtf8(byte[] b, int from) {
        if (b.length - from >= 2 && ((b[from] & 0xFF) == 0xFE || (b[from] & 0xFF) == 0xFF)) {
            return true; // a UTF-16/32 byte order mark
        }
        for (int i = from; i < Math.min(b.length, from + 4); i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private Activity root() throws Invalid, MalformedDeliveryException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new Invalid(0); // "not a JSON object", or a syntax error: InvalidJson tells which
        }
        long logStart = -1; // the log ends where the next member (or the closing brace) begins: measured, not decoded
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            if (logStart >= 0) {
                a.logBytes += p.tokenOffset() - logStart;
                logStart = -1;
            }
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "log" -> {
                    logStart = p.tokenOffset();
                    p.skipChildren();
                }
                case "id" -> a.id = required(t, "id", FieldBounds.ID);
                case "type" -> a.type = required(t, "type", FieldBounds.TYPE);
                case "project" -> {
                    if (t == JsonToken.START_OBJECT) {
                        healthProject();
                    } else {
                        a.project = ident(t, "project", FieldBounds.PROJECT);
                    }
                }
                case "environments" -> environments(t);
                case "state" -> a.state = ident(t, "state", FieldBounds.STATE);
                case "result" -> a.result = ident(t, "result", FieldBounds.RESULT);
                case "created_at" -> a.createdAt = ident(t, "created_at", FieldBounds.TIME);
                case "started_at" -> a.startedAt = ident(t, "started_at", FieldBounds.TIME);
                case "completed_at" -> a.completedAt = ident(t, "completed_at", FieldBounds.TIME);
                case "description" -> a.description = display(t, FieldBounds.DESCRIPTION);
                case "text" -> a.text = display(t, FieldBounds.TEXT);
                case "parameters" -> parameters(t);
                case "_links" -> links(t);
                case "payload" -> payload(t);
                case "event" -> healthEvent(t);
                default -> p.skipChildren();
            }
        }
        if (logStart >= 0) {
            a.logBytes += p.tokenOffset() - logStart;
        }
        p.nextToken(); // null, or Invalid when anything follows the object
        return finish();
    }

    private Activity finish() throws MalformedDeliveryException {
        if (a.type == null && a.id == null && sawEvent) {
            return finishHealth();
        }
        if (a.id == null || a.id.isEmpty()) {
            throw new MalformedDeliveryException("the activity has no id");
        }
        if (a.type == null || a.type.isEmpty()) {
            throw new MalformedDeliveryException("the activity has no type");
        }
        choice.environments.addAll(a.environments);
        EnvironmentChoice.Chosen env = choice.decide(a.type);
        a.environment = env.name();
        a.machineName = env.machineName();
        a.environmentType = env.type();
        a.parentEnvironment = env.parent();
        if (!env.deploymentIsOfIt()) {
            a.gitRef = null; // the deployment described another environment
            a.routes.clear();
        }
        // Only sources that say they are the commit after the activity: new_commit of a push, and payload.commit of
        // a restore (the PHP client describes it as "restored <environment> to <commit>"). Not
        // payload.environment.head_commit, which equals the old commit in the public 2022 push sample.
        String after = a.type.equals("environment.restore") ? restoredCommit : null;
        a.headCommit = EnvironmentChoice.first(newCommit, after, null);
        return a.build();
    }

    private Activity finishHealth() {
        a.kind = Activity.Kind.HEALTH;
        a.type = "health." + (a.healthComponent == null || a.healthComponent.isEmpty() ? "unknown" : a.healthComponent);
        a.project = EnvironmentChoice.first(a.project, healthProject, null);
        // The origin is a machine name (main-bvxea6i); filters, variables and the cause speak of the environment name.
        a.environment = EnvironmentChoice.nameOfMachineName(healthEnvironment);
        a.machineName = healthEnvironment;
        if (healthEnvironment != null) {
            a.environments.add(healthEnvironment);
        }
        a.createdAt = healthTime;
        a.id = "health-"
                + digest(
                        a.project,
                        healthTime,
                        healthEnvironment,
                        a.healthService,
                        a.healthInstance,
                        a.healthComponent,
                        a.healthSubcomponent,
                        a.healthSeverity,
                        a.healthMessage);
        return a.build();
    }

    private static String digest(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String s : parts) {
            sb.append(s == null ? "\u0000" : s).append('\u0001');
        }
        byte[] d = VerificationKey.digest(sb.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 10);
    }

    private String required(JsonToken t, String field, int max) throws Invalid, MalformedDeliveryException {
        if (t == JsonToken.VALUE_STRING) {
            if (p.getTextLength() > max) {
                throw FieldBounds.tooLong(field, max);
            }
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new MalformedDeliveryException("the field '" + field + "' is not a string");
    }

    /** An optional scalar as text; anything else (objects, arrays) is skipped and reads as absent. */
    private String str(JsonToken t) throws Invalid {
        if (scalar(t)) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static boolean scalar(JsonToken t) {
        return t == JsonToken.VALUE_STRING
                || t == JsonToken.VALUE_NUMBER_INT
                || t == JsonToken.VALUE_NUMBER_FLOAT
                || t == JsonToken.VALUE_TRUE
                || t == JsonToken.VALUE_FALSE;
    }

    /**
     * An identifying scalar ({@link #str}), refused with 400 naming {@code field} when over {@code max} characters.
     * Measured before the text is made, so that an oversized value is never copied.
     */
    private String ident(JsonToken t, String field, int max) throws Invalid, MalformedDeliveryException {
        if (scalar(t) && p.getTextLength() > max) {
            throw FieldBounds.tooLong(field, max);
        }
        return str(t);
    }

    /** The same, for a field named {@code path + name}: the name is only put together for the reason. */
    private String ident(JsonToken t, String path, String name, int max) throws Invalid, MalformedDeliveryException {
        if (scalar(t) && p.getTextLength() > max) {
            throw FieldBounds.tooLong(path + name, max);
        }
        return str(t);
    }

    /** Display text ({@link #str}), cut to {@code max} characters with a visible marker. */
    private String display(JsonToken t, int max) throws Invalid {
        if (scalar(t) && p.getTextLength() > max) {
            // Only what is kept is copied out of the parser's buffer (one more, to see a surrogate pair at the cut).
            return Clip.to(p.textPrefix(max + 1), max);
        }
        return str(t);
    }

    /** Calls the handler for each field of an object; a value of another type is skipped. */
    private void object(JsonToken t, FieldHandler h) throws Invalid, MalformedDeliveryException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            h.field(name, p.nextToken());
        }
    }

    @FunctionalInterface
    private interface FieldHandler {
        void field(String name, JsonToken value) throws Invalid, MalformedDeliveryException;
    }

    private void environments(JsonToken t) throws Invalid, MalformedDeliveryException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            String s = ident(e, "environments", FieldBounds.ENVIRONMENT);
            if (s != null) {
                if (a.environments.size() == FieldBounds.ENVIRONMENTS) {
                    throw FieldBounds.tooMany("environments", FieldBounds.ENVIRONMENTS);
                }
                a.environments.add(s);
            }
        }
    }

    private void parameters(JsonToken t) throws Invalid, MalformedDeliveryException {
        object(t, (name, v) -> {
            switch (name) {
                case "environment" ->
                    choice.parametersEnvironment = ident(v, "parameters.environment", FieldBounds.ENVIRONMENT);
                case "parent" -> choice.parametersParent = ident(v, "parameters.parent", FieldBounds.ENVIRONMENT);
                case "new_commit" -> newCommit = ident(v, "parameters.new_commit", FieldBounds.COMMIT);
                case "old_commit" -> a.previousCommit = ident(v, "parameters.old_commit", FieldBounds.COMMIT);
                case "from" -> choice.from = a.mergeFrom = ident(v, "parameters.from", FieldBounds.ENVIRONMENT);
                case "into" -> choice.into = a.mergeInto = ident(v, "parameters.into", FieldBounds.ENVIRONMENT);
                default -> p.skipChildren();
            }
        });
    }

    private void links(JsonToken t) throws Invalid, MalformedDeliveryException {
        object(t, (name, v) -> {
            if (name.equals("self")) {
                object(v, (n2, v2) -> {
                    if (n2.equals("href")) {
                        a.url = display(v2, FieldBounds.URL);
                    } else {
                        p.skipChildren();
                    }
                });
            } else {
                p.skipChildren();
            }
        });
    }

    private void payload(JsonToken t) throws Invalid, MalformedDeliveryException {
        object(t, (name, v) -> {
            switch (name) {
                case "user" ->
                    object(v, (n2, v2) -> {
                        if (n2.equals("display_name")) {
                            a.userName = display(v2, FieldBounds.USER_NAME);
                        } else {
                            p.skipChildren();
                        }
                    });
                case "environment" -> choice.environment = described(v, "payload.environment");
                case "outcome" -> choice.outcome = described(v, "payload.outcome");
                case "parent" -> choice.parent = described(v, "payload.parent");
                case "commits" -> commits(v);
                case "commit" -> restoredCommit = ident(v, "payload.commit", FieldBounds.COMMIT);
                case "commits_count" -> {
                    if (p.isInt()) {
                        a.commitsCount = Math.max(0, p.getIntValue());
                    } else {
                        p.skipChildren();
                    }
                }
                case "deployment" -> deployment(v);
                default -> p.skipChildren();
            }
        });
    }

    /** An environment object ({@code name}, else {@code id}), or a plain string naming one (seen in restores). */
    private EnvironmentChoice.Described described(JsonToken t, String field)
            throws Invalid, MalformedDeliveryException {
        if (t == JsonToken.VALUE_STRING) {
            return new EnvironmentChoice.Described(ident(t, field, FieldBounds.ENVIRONMENT), null, null, null);
        }
        String[] e = new String[5];
        object(t, (name, v) -> {
            switch (name) {
                case "name" -> e[0] = ident(v, field, ".name", FieldBounds.ENVIRONMENT);
                case "id" -> e[1] = ident(v, field, ".id", FieldBounds.ENVIRONMENT);
                case "machine_name" -> e[2] = ident(v, field, ".machine_name", FieldBounds.ENVIRONMENT);
                case "type" -> e[3] = ident(v, field, ".type", FieldBounds.ENVIRONMENT_TYPE);
                case "parent" -> e[4] = ident(v, field, ".parent", FieldBounds.ENVIRONMENT);
                default -> p.skipChildren();
            }
        });
        return new EnvironmentChoice.Described(EnvironmentChoice.first(e[0], e[1], null), e[2], e[3], e[4]);
    }

    /**
     * Up to {@link FieldBounds#COMMITS} commits are kept; every commit listed is counted, so that {@code commitsCount}
     * stays true without a {@code commits_count}. Past the bound, the rest of the list is skipped unread.
     */
    private void commits(JsonToken t) throws Invalid, MalformedDeliveryException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (a.commits.size() == FieldBounds.COMMITS) {
                a.commitsListed++;
                p.skipChildren();
                continue;
            }
            if (e == JsonToken.VALUE_STRING) {
                // Some senders list plain shas.
                String sha = ident(e, "payload.commits", FieldBounds.COMMIT);
                if (!sha.isEmpty()) {
                    a.commitsListed++;
                    a.commits.add(new Activity.Commit(sha, null, null, null));
                }
                continue;
            }
            String[] c = new String[4];
            object(e, (name, v) -> {
                switch (name) {
                    case "sha" -> c[0] = ident(v, "payload.commits.sha", FieldBounds.COMMIT);
                    case "message" -> c[3] = display(v, FieldBounds.COMMIT_MESSAGE);
                    case "author" ->
                        object(v, (n2, v2) -> {
                            switch (n2) {
                                case "name" -> c[1] = display(v2, FieldBounds.USER_NAME);
                                case "email" -> c[2] = display(v2, FieldBounds.EMAIL);
                                default -> p.skipChildren();
                            }
                        });
                    default -> p.skipChildren();
                }
            });
            if (c[0] != null) {
                a.commitsListed++;
                a.commits.add(new Activity.Commit(c[0], c[1], c[2], c[3]));
            }
        }
    }

    private void deployment(JsonToken t) throws Invalid, MalformedDeliveryException {
        object(t, (name, v) -> {
            switch (name) {
                case "environment_info" -> {
                    String[] info = new String[2];
                    object(v, (n2, v2) -> {
                        String f = "payload.deployment.environment_info.";
                        switch (n2) {
                            case "reference" -> a.gitRef = ident(v2, f, "reference", FieldBounds.GIT_REF);
                            case "name" -> info[0] = ident(v2, f, "name", FieldBounds.ENVIRONMENT);
                            case "machine_name" -> info[1] = ident(v2, f, "machine_name", FieldBounds.ENVIRONMENT);
                            default -> p.skipChildren();
                        }
                    });
                    choice.deployment = new EnvironmentChoice.Described(info[0], info[1], null, null);
                }
                case "routes" -> routes(v);
                default -> p.skipChildren();
            }
        });
    }

    /**
     * Upstream routes, up to {@link FieldBounds#ROUTES}; a primary route past the bound takes the last place, so that
     * the main URL is never the one left out. Route keys are URLs, display text: cut with the marker.
     */
    private void routes(JsonToken t) throws Invalid, MalformedDeliveryException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            // A key is read as text, not as one of the names switched on; only what is kept of it is decoded.
            String url = p.getTextLength() > FieldBounds.URL ? p.textPrefix(FieldBounds.URL + 1) : p.getText();
            JsonToken v = p.nextToken();
            String[] type = new String[1];
            boolean[] primary = new boolean[1];
            object(v, (n2, v2) -> {
                switch (n2) {
                    case "type" -> type[0] = display(v2, 16); // compared, not kept
                    case "primary" -> {
                        primary[0] = v2 == JsonToken.VALUE_TRUE;
                        p.skipChildren(); // a non-scalar "primary" must still be consumed whole
                    }
                    default -> p.skipChildren();
                }
            });
            if ("upstream".equals(type[0])) {
                Activity.Route r = new Activity.Route(Clip.to(url, FieldBounds.URL), primary[0]);
                if (a.routes.size() < FieldBounds.ROUTES) {
                    a.routes.add(r);
                } else if (r.primary() && a.routes.stream().noneMatch(Activity.Route::primary)) {
                    a.routes.set(a.routes.size() - 1, r);
                }
            }
        }
    }

    private void healthProject() throws Invalid, MalformedDeliveryException {
        object(JsonToken.START_OBJECT, (name, v) -> {
            if (name.equals("id")) {
                healthProject = ident(v, "project.id", FieldBounds.PROJECT);
            } else {
                p.skipChildren();
            }
        });
    }

    private void healthEvent(JsonToken t) throws Invalid, MalformedDeliveryException {
        if (t == JsonToken.START_OBJECT) {
            sawEvent = true;
        }
        int h = FieldBounds.HEALTH_FIELD;
        object(t, (name, v) -> {
            switch (name) {
                case "time" -> healthTime = ident(v, "event.time", FieldBounds.TIME);
                case "component" -> a.healthComponent = ident(v, "event.component", h);
                case "subcomponent" -> a.healthSubcomponent = ident(v, "event.subcomponent", h);
                case "severity" -> a.healthSeverity = ident(v, "event.severity", h);
                case "message" -> a.healthMessage = display(v, FieldBounds.HEALTH_MESSAGE);
                case "origin" ->
                    object(v, (n2, v2) -> {
                        switch (n2) {
                            case "project" -> a.project = ident(v2, "event.origin.project", FieldBounds.PROJECT);
                            case "environment" ->
                                healthEnvironment = ident(v2, "event.origin.environment", FieldBounds.ENVIRONMENT);
                            case "service" -> a.healthService = ident(v2, "event.origin.service", h);
                            case "instance" -> a.healthInstance = ident(v2, "event.origin.instance", h);
                            default -> p.skipChildren();
                        }
                    });
                default -> p.skipChildren();
            }
        });
    }
}

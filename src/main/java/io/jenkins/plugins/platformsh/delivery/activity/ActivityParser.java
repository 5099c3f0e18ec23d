package io.jenkins.plugins.platformsh.delivery.activity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.jenkins.plugins.platformsh.delivery.text.Json;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Reads a delivery body in one streaming pass, keeping only the fields {@link Activity} has. Everything else,
 * {@code log} and the internals of {@code payload.deployment} above all, is skipped without being materialised.
 * Unknown fields and unexpected types of optional fields are tolerated; only a body that is not one JSON object, or
 * lacks what identifies it, is refused.
 */
public final class ActivityParser {

    private final JsonParser p;
    private final Activity.Builder a = new Activity.Builder();
    private final EnvironmentChoice choice = new EnvironmentChoice();
    private String newCommit;
    private String restoredCommit;
    private String healthTime;
    private String healthProject;
    private String healthEnvironment;
    private boolean sawEvent;

    private ActivityParser(JsonParser p) {
        this.p = p;
    }

    /** Parses a whole body (a leading UTF-8 byte order mark is skipped). */
    public static Activity parse(byte[] body) throws MalformedDeliveryException {
        int offset = hasBom(body) ? 3 : 0;
        if (body.length - offset == 0 || isBlank(body, offset)) {
            throw new MalformedDeliveryException("the body is empty");
        }
        if (notUtf8(body, offset)) {
            // Jackson would guess UTF-16/32 from the zero bytes; the endpoint accepts UTF-8 JSON only, deliberately.
            throw new MalformedDeliveryException("the body is not UTF-8 JSON");
        }
        try (JsonParser p = Json.FACTORY.createParser(body, offset, body.length - offset)) {
            return new ActivityParser(p).root();
        } catch (StreamConstraintsException e) {
            throw new MalformedDeliveryException("the body nests too deeply or has an oversized value");
        } catch (JsonProcessingException e) {
            throw new MalformedDeliveryException(
                    "the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new MalformedDeliveryException("the body could not be read as JSON");
        }
    }

    public static boolean hasBom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
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

    private Activity root() throws IOException, MalformedDeliveryException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new MalformedDeliveryException("the body is not a JSON object");
        }
        long logStart = -1; // the log ends where the next member (or the closing brace) begins: measured, not decoded
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            if (logStart >= 0) {
                a.logBytes += p.currentTokenLocation().getByteOffset() - logStart;
                logStart = -1;
            }
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "log" -> {
                    logStart = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                }
                case "id" -> a.id = required(t, "id");
                case "type" -> a.type = required(t, "type");
                case "project" -> {
                    if (t == JsonToken.START_OBJECT) {
                        healthProject();
                    } else {
                        a.project = str(t);
                    }
                }
                case "environments" -> environments(t);
                case "state" -> a.state = str(t);
                case "result" -> a.result = str(t);
                case "created_at" -> a.createdAt = str(t);
                case "started_at" -> a.startedAt = str(t);
                case "completed_at" -> a.completedAt = str(t);
                case "description" -> a.description = str(t);
                case "text" -> a.text = str(t);
                case "parameters" -> parameters(t);
                case "_links" -> links(t);
                case "payload" -> payload(t);
                case "event" -> healthEvent(t);
                default -> p.skipChildren();
            }
        }
        if (logStart >= 0) {
            a.logBytes += p.currentTokenLocation().getByteOffset() - logStart;
        }
        if (p.nextToken() != null) {
            throw new MalformedDeliveryException("the body has content after its JSON object");
        }
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

    private String required(JsonToken t, String field) throws IOException, MalformedDeliveryException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new MalformedDeliveryException("the field '" + field + "' is not a string");
    }

    /** An optional scalar as text; anything else (objects, arrays) is skipped and reads as absent. */
    private String str(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING
                || t == JsonToken.VALUE_NUMBER_INT
                || t == JsonToken.VALUE_NUMBER_FLOAT
                || t == JsonToken.VALUE_TRUE
                || t == JsonToken.VALUE_FALSE) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    /** Calls the handler for each field of an object; a value of another type is skipped. */
    private void object(JsonToken t, FieldHandler h) throws IOException {
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
        void field(String name, JsonToken value) throws IOException;
    }

    private void environments(JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            String s = str(e);
            if (s != null) {
                a.environments.add(s);
            }
        }
    }

    private void parameters(JsonToken t) throws IOException {
        object(t, (name, v) -> {
            switch (name) {
                case "environment" -> choice.parametersEnvironment = str(v);
                case "parent" -> choice.parametersParent = str(v);
                case "new_commit" -> newCommit = str(v);
                case "old_commit" -> a.previousCommit = str(v);
                case "from" -> choice.from = a.mergeFrom = str(v);
                case "into" -> choice.into = a.mergeInto = str(v);
                default -> p.skipChildren();
            }
        });
    }

    private void links(JsonToken t) throws IOException {
        object(t, (name, v) -> {
            if (name.equals("self")) {
                object(v, (n2, v2) -> {
                    if (n2.equals("href")) {
                        a.url = str(v2);
                    } else {
                        p.skipChildren();
                    }
                });
            } else {
                p.skipChildren();
            }
        });
    }

    private void payload(JsonToken t) throws IOException {
        object(t, (name, v) -> {
            switch (name) {
                case "user" ->
                    object(v, (n2, v2) -> {
                        if (n2.equals("display_name")) {
                            a.userName = str(v2);
                        } else {
                            p.skipChildren();
                        }
                    });
                case "environment" -> choice.environment = described(v);
                case "outcome" -> choice.outcome = described(v);
                case "parent" -> choice.parent = described(v);
                case "commits" -> commits(v);
                case "commit" -> restoredCommit = str(v);
                case "commits_count" -> {
                    if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
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
    private EnvironmentChoice.Described described(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return new EnvironmentChoice.Described(p.getText(), null, null, null);
        }
        String[] e = new String[5];
        object(t, (name, v) -> {
            switch (name) {
                case "name" -> e[0] = str(v);
                case "id" -> e[1] = str(v);
                case "machine_name" -> e[2] = str(v);
                case "type" -> e[3] = str(v);
                case "parent" -> e[4] = str(v);
                default -> p.skipChildren();
            }
        });
        return new EnvironmentChoice.Described(EnvironmentChoice.first(e[0], e[1], null), e[2], e[3], e[4]);
    }

    private void commits(JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e == JsonToken.VALUE_STRING) {
                // Some senders list plain shas.
                if (!p.getText().isEmpty()) {
                    a.commits.add(new Activity.Commit(p.getText(), null, null, null));
                }
                continue;
            }
            String[] c = new String[4];
            object(e, (name, v) -> {
                switch (name) {
                    case "sha" -> c[0] = str(v);
                    case "message" -> c[3] = str(v);
                    case "author" ->
                        object(v, (n2, v2) -> {
                            switch (n2) {
                                case "name" -> c[1] = str(v2);
                                case "email" -> c[2] = str(v2);
                                default -> p.skipChildren();
                            }
                        });
                    default -> p.skipChildren();
                }
            });
            if (c[0] != null) {
                a.commits.add(new Activity.Commit(c[0], c[1], c[2], c[3]));
            }
        }
    }

    private void deployment(JsonToken t) throws IOException {
        object(t, (name, v) -> {
            switch (name) {
                case "environment_info" -> {
                    String[] info = new String[2];
                    object(v, (n2, v2) -> {
                        switch (n2) {
                            case "reference" -> a.gitRef = str(v2);
                            case "name" -> info[0] = str(v2);
                            case "machine_name" -> info[1] = str(v2);
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

    private void routes(JsonToken t) throws IOException {
        object(t, (url, v) -> {
            String[] type = new String[1];
            boolean[] primary = new boolean[1];
            object(v, (n2, v2) -> {
                switch (n2) {
                    case "type" -> type[0] = str(v2);
                    case "primary" -> {
                        primary[0] = v2 == JsonToken.VALUE_TRUE;
                        p.skipChildren(); // a non-scalar "primary" must still be consumed whole
                    }
                    default -> p.skipChildren();
                }
            });
            if ("upstream".equals(type[0])) {
                a.routes.add(new Activity.Route(url, primary[0]));
            }
        });
    }

    private void healthProject() throws IOException {
        object(JsonToken.START_OBJECT, (name, v) -> {
            if (name.equals("id")) {
                healthProject = str(v);
            } else {
                p.skipChildren();
            }
        });
    }

    private void healthEvent(JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            sawEvent = true;
        }
        object(t, (name, v) -> {
            switch (name) {
                case "time" -> healthTime = str(v);
                case "component" -> a.healthComponent = str(v);
                case "subcomponent" -> a.healthSubcomponent = str(v);
                case "severity" -> a.healthSeverity = str(v);
                case "message" -> a.healthMessage = str(v);
                case "origin" ->
                    object(v, (n2, v2) -> {
                        switch (n2) {
                            case "project" -> a.project = str(v2);
                            case "environment" -> healthEnvironment = str(v2);
                            case "service" -> a.healthService = str(v2);
                            case "instance" -> a.healthInstance = str(v2);
                            default -> p.skipChildren();
                        }
                    });
                default -> p.skipChildren();
            }
        });
    }
}

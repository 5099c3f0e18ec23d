package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.activity.FieldBounds;
import io.jenkins.plugins.platformsh.delivery.activity.MalformedDeliveryException;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.Coalesce;
import io.jenkins.plugins.platformsh.delivery.match.EventTypes;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.text.Clip;
import io.jenkins.plugins.platformsh.delivery.text.Html;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based robustness tests of {@link DeliveryService#decide} and {@link DeliveryService#dryRun}: valid
 * deliveries of every documented shape (our own small variants, written from the shapes in ARCHITECTURE.md) are
 * mutated byte-wise and structurally, and sent with every kind of right and wrong header. Six properties, 110,000
 * tries in all (each sending two to ten requests), send well over 100,000 mutated deliveries per run; the class takes
 * about 40 s on an idle 2-core machine.
 *
 * <p>For every try: nothing is thrown; the status is one of 200, 400, 401, 403, 405, 413, 415; builds are scheduled
 * only for a delivery that carried a valid signature or token of a configured key (the generator knows which, since
 * it made it) or for an unsigned one when unsigned deliveries are accepted; a rejected outcome has no schedules; the
 * answer never names a job; a request that was not verified never marks the delivery as seen.
 */
class DecidePropertiesTest {

    // ---------------------------------------------------------------------------------------------------------------
    // Keys and jobs
    // ---------------------------------------------------------------------------------------------------------------

    static final String JOB_PREFIX = "secret-job-name-";
    static final String JOB_ALL = JOB_PREFIX + "1"; // events *, states *: every globally verified delivery
    static final String JOB_DEFAULTS = JOB_PREFIX + "2"; // push and merge, complete
    static final String JOB_TOKEN_ONLY = JOB_PREFIX + "3"; // events *, states *, requires the token credentials
    static final String JOB_OWN_KEY = JOB_PREFIX + "4"; // environment.*, complete, requires its own key
    static final String JOB_FILTERED = JOB_PREFIX + "5"; // one project, main and feature-*, not feature-x
    static final String JOB_HEALTH = JOB_PREFIX + "6"; // health.*

    static final String GLOBAL_KEY_ID = "psh-global-key";
    static final String GLOBAL_KEY = "c2VjcmV0"; // base64url of "secret", as in the public test vector
    static final String JOB_KEY_ID = "psh-job-key";
    static final String JOB_KEY = "am9iLWtleS1tYXRlcmlhbA"; // "job-key-material"
    static final String SCOPED_KEY_ID = "psh-scoped-key";
    static final String SCOPED_KEY = "c2NvcGVkLWtleQ"; // "scoped-key", valid only for another project
    static final String UNKNOWN_KEY = "dW5rbm93bi1rZXk"; // "unknown-key", configured nowhere
    static final String TOKEN_ID = "psh-token";
    static final String TOKEN = "t0ken-Value_42";
    static final String PROJECT = "abcdefgh1234567";

    /** As the adapter resolves them: global ones, and each trigger's own credentials for that job only. */
    static final List<VerificationKey> KEYS = List.of(
            VerificationKey.sharedKey(GLOBAL_KEY_ID, GLOBAL_KEY, true),
            VerificationKey.sharedKey(JOB_KEY_ID, JOB_KEY, false).forTarget(JOB_OWN_KEY),
            VerificationKey.sharedKey(SCOPED_KEY_ID, SCOPED_KEY, true).forProjects(Set.of("otherproject123")),
            VerificationKey.token(TOKEN_ID, TOKEN, true),
            VerificationKey.token(TOKEN_ID, TOKEN, false).forTarget(JOB_TOKEN_ONLY));

    static final DeliverySettings SIGNED_ONLY = DeliverySettings.defaults();
    static final DeliverySettings UNSIGNED_OK = DeliverySettings.defaults().withAcceptUnsigned(true);

    static final TriggerIndex INDEX = newIndex();

    static TriggerIndex newIndex() {
        TriggerIndex index = new TriggerIndex();
        index.put(JOB_ALL, TriggerSpec.builder().events("*").states("*").build());
        index.put(JOB_DEFAULTS, TriggerSpec.defaults());
        index.put(
                JOB_TOKEN_ONLY,
                TriggerSpec.builder()
                        .events("*")
                        .states("*")
                        .tokenCredentialsId(TOKEN_ID) // named as a token: a credentialsId is a shared key only
                        .build());
        index.put(
                JOB_OWN_KEY,
                TriggerSpec.builder()
                        .events("environment.*")
                        .credentialsId(JOB_KEY_ID)
                        .build());
        index.put(
                JOB_FILTERED,
                TriggerSpec.builder()
                        .projects(PROJECT)
                        .environments("main, feature-*")
                        .excludedEnvironments("feature-x")
                        .coalesce(Coalesce.LATEST_PER_ENVIRONMENT)
                        .build());
        index.put(JOB_HEALTH, TriggerSpec.builder().events("health.*").build());
        return index;
    }

    static final Set<Integer> ALLOWED_STATUSES = Set.of(200, 400, 401, 403, 405, 413, 415);
    static final Set<String> VARIABLE_NAMES = Set.copyOf(Variables.NAMES);

    /*
     * A bug these properties found in src/main, reported to the lead with a failing example (the @Disabled test
     * bugScopedKeyAndBodyWithoutProject in NastyInputTest). Until it is fixed the properties set aside exactly those
     * tries (jqwik counts them as rejected; the statistics "known bug" say how many). Set to false once fixed.
     * (The first bug they found, a non-scalar route "primary" that desynchronised the parser, is fixed: 0ff668d.)
     */
    /** VerificationKey.appliesTo(null) throws NullPointerException: a project-scoped key and a body without project. */
    static final boolean TOLERATE_BUG_SCOPED_KEY_WITHOUT_PROJECT = false;

    // ---------------------------------------------------------------------------------------------------------------
    // Fixtures: our own small variants of the documented shapes. Each ends with '}' and no newline, so that every
    // proper prefix is truncated JSON. Markers let the tests see whether a secret or the log leaked.
    // ---------------------------------------------------------------------------------------------------------------

    static final String LOG_MARKER = "LOG-MARKER-do-not-copy";
    static final String BASIC_AUTH_SECRET = "basic-auth-cleartext-pw";
    static final String VARIABLE_SECRET = "deployment-variable-secret-value";
    static final String ROUTE_URL = "https://main-abc1234-abcdefgh1234567.eu-3.platformsh.site/";

    /** The current shape (2022+): _links, parameters, payload with user, environment, commits and deployment. */
    static final String PUSH_2022 =
            """
            {
              "id": "act2022push01",
              "_links": {
                "self": {"href": "https://eu-3.platform.sh/api/projects/abcdefgh1234567/activities/act2022push01"},
                "log": {"href": "/api/projects/abcdefgh1234567/activities/act2022push01/log"}
              },
              "created_at": "2024-03-01T10:00:00.000000+00:00",
              "updated_at": null,
              "type": "environment.push",
              "parameters": {
                "user": "0b4e0c5e-0000-4000-8000-000000000001",
                "environment": "main",
                "old_commit": "1111111111111111111111111111111111111111",
                "new_commit": "2222222222222222222222222222222222222222"
              },
              "project": "abcdefgh1234567",
              "environments": ["main"],
              "state": "complete",
              "result": "success",
              "started_at": "2024-03-01T10:00:01.000000+00:00",
              "completed_at": "2024-03-01T10:00:42.500000+00:00",
              "completion_percent": 100,
              "cancelled_at": null,
              "timings": {"wait": 0, "parse_commits": 0.25, "build": 0.5, "deploy": 40.125, "execute": 41.5},
              "log": "Found 1 new commit\\n\\nBuilding application 'app' LOG-MARKER-do-not-copy\\n  Reusing build\\n",
              "payload": {
                "user": {"id": "0b4e0c5e-0000-4000-8000-000000000001", "created_at": "2024-01-01T00:00:00+00:00",
                         "updated_at": null, "display_name": "Zoë Exämple"},
                "environment": {
                  "id": "main", "name": "main", "machine_name": "main-abc1234", "title": "Main",
                  "type": "production", "parent": null, "status": "active",
                  "head_commit": "2222222222222222222222222222222222222222",
                  "http_access": {"is_enabled": true, "addresses": [],
                                  "basic_auth": {"admin": "basic-auth-cleartext-pw"}}
                },
                "commits": [
                  {"sha": "2222222222222222222222222222222222222222",
                   "author": {"name": "Zoë Exämple", "email": "zoe@example.com", "date": "2024-03-01T09:59:00+00:00"},
                   "message": "Fix the thing\\n\\nA longer body.",
                   "parents": ["1111111111111111111111111111111111111111"]}
                ],
                "commits_count": 1,
                "deployment": {
                  "id": "current",
                  "environment_info": {"name": "main", "machine_name": "main-abc1234", "reference": "refs/heads/main",
                                       "is_production": true},
                  "routes": {
                    "https://main-abc1234-abcdefgh1234567.eu-3.platformsh.site/": {
                      "primary": true, "id": null, "type": "upstream", "upstream": "app:http",
                      "original_url": "https://{default}/", "cache": {"enabled": true, "cookies": ["*"]}},
                    "http://main-abc1234-abcdefgh1234567.eu-3.platformsh.site/": {
                      "primary": false, "type": "redirect", "to": "https://{default}/", "original_url": "http://{default}/"}
                  },
                  "variables": [
                    {"name": "env:API_SECRET", "value": "deployment-variable-secret-value", "is_sensitive": true}
                  ],
                  "webapps": {"app": {"type": "php:8.2", "size": "AUTO", "disk": 2048, "access": {"ssh": "contributor"}}}
                }
              },
              "description": "<user data-id=\\"0b4e0c5e\\">Zoë Exämple</user> pushed to <environment data-id=\\"main\\">Main</environment>",
              "text": "Zoë Exämple pushed to Main"
            }""";

    /** The oldest shape (2015): no _links, no description or text, no deployment, commits without parents. */
    static final String PUSH_2015 =
            """
            {
              "completed_at": "2015-02-01T16:57:07.347350+00:00",
              "completion_percent": 100,
              "created_at": "2015-02-01T16:57:06.799016+00:00",
              "environments": ["master"],
              "id": "old2015push01",
              "log": "Found 1 new commit. LOG-MARKER-do-not-copy",
              "parameters": {"environment": "master", "new_commit": "3333333333333333333333333333333333333333",
                             "old_commit": "4444444444444444444444444444444444444444", "user": "u-2015"},
              "payload": {
                "commits": [{"author": {"email": "old@example.com", "name": "Old Timer"}, "message": "empty",
                             "sha": "3333333333333333333333333333333333333333"}],
                "commits_count": 1,
                "environment": {"head_commit": "3333333333333333333333333333333333333333", "id": "master",
                                "name": "master", "parent": null, "project": "oldproject2015",
                                "http_access": {"addresses": [], "basic_auth": {"root": "basic-auth-cleartext-pw"}}},
                "user": {"display_name": "Old Timer", "id": "u-2015", "updated_at": null}
              },
              "project": "oldproject2015",
              "result": "success",
              "started_at": "2015-02-01T16:57:06.834660+00:00",
              "state": "complete",
              "type": "environment.push",
              "updated_at": "2015-02-01T16:57:07.347358+00:00"
            }""";

    /** A merge of a feature branch into main (parameters.from / into). */
    static final String MERGE =
            """
            {
              "id": "merge0000001",
              "_links": {"self": {"href": "https://eu-3.platform.sh/api/projects/abcdefgh1234567/activities/merge0000001"}},
              "type": "environment.merge",
              "parameters": {"user": "u-1", "from": "feature-login", "into": "main",
                             "new_commit": "5555555555555555555555555555555555555555"},
              "project": "abcdefgh1234567",
              "environments": ["main"],
              "state": "complete",
              "result": "success",
              "created_at": "2024-03-02T08:00:00+00:00",
              "completed_at": "2024-03-02T08:01:00+00:00",
              "log": "Merging feature-login into main LOG-MARKER-do-not-copy",
              "payload": {
                "user": {"display_name": "Merge Person"},
                "environment": {"name": "main", "machine_name": "main-abc1234", "type": "production",
                                "head_commit": "5555555555555555555555555555555555555555"}
              },
              "text": "Merge Person merged feature-login into Main"
            }""";

    /** A cron activity: parameters with a nested spec, payload with a project object, no deployment. */
    static final String CRON =
            """
            {
              "id": "cron00000001",
              "type": "environment.cron",
              "parameters": {"user": "admin", "cluster": "abcdefgh1234567-main-abc1234", "environment": "main",
                             "application": "app", "cron": "nightly",
                             "spec": {"spec": "5 * * * *", "commands": {"start": "echo hi", "stop": null},
                                      "shutdown_timeout": null, "timeout": 86400}},
              "project": "abcdefgh1234567",
              "environments": ["main"],
              "state": "complete",
              "result": "failure",
              "created_at": "2024-03-03T05:05:00+00:00",
              "log": "hello LOG-MARKER-do-not-copy",
              "payload": {
                "user": {"id": "admin", "display_name": "Platform.sh Bot"},
                "project": {"id": "abcdefgh1234567", "title": "php-test", "status": {"code": "provisioned"}},
                "environment": {"name": "main", "machine_name": "main-abc1234"},
                "cron": "nightly"
              }
            }""";

    /** A health notification: not an activity (no id, no type), a project object and an event. */
    static final String HEALTH =
            """
            {"project": {"id": "abcdefgh1234567", "title": "Test project", "attributes": {},
                         "repository": {"client_ssh_key": "ssh-rsa AAAAexample test@platformsh"}},
             "event": {"time": "2024-03-04T23:13:12.099235+00:00",
                       "origin": {"project": "abcdefgh1234567", "environment": "main-abc1234", "service": "mysql",
                                  "instance": "0"},
                       "component": "disk", "subcomponent": "persistent", "severity": "warning",
                       "message": "less than 214.748 MB available",
                       "metrics": {"total:byte": 1073741824, "available:byte": 134217728}}}""";

    enum Fixture {
        PUSH_2022(DecidePropertiesTest.PUSH_2022, false),
        PUSH_2015(DecidePropertiesTest.PUSH_2015, false),
        MERGE(DecidePropertiesTest.MERGE, false),
        CRON(DecidePropertiesTest.CRON, false),
        HEALTH(DecidePropertiesTest.HEALTH, true);

        final String text;
        final byte[] bytes;
        final boolean health;
        private JsonNode tree;

        Fixture(String text, boolean health) {
            this.text = text;
            this.bytes = text.getBytes(StandardCharsets.UTF_8);
            this.health = health;
        }

        /** A fresh copy of the parsed fixture, to edit. */
        synchronized JsonNode tree() {
            if (tree == null) {
                try {
                    tree = MAPPER.readTree(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return tree.deepCopy();
        }

        /** Whether JOB_OWN_KEY (environment.*, complete) wants it. */
        boolean matchesOwnKeyJob() {
            return !health;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Signing, independently of SignatureVerifier
    // ---------------------------------------------------------------------------------------------------------------

    static final String PROTECTED = "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}";
    static final String SIG = SignatureVerifier.SIGNATURE_HEADER;

    static String b64u(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String b64u(String s) {
        return b64u(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] keyBytes(String sharedKey) {
        return Base64.getUrlDecoder().decode(sharedKey);
    }

    static byte[] mac(String alg, byte[] key, byte[]... parts) {
        try {
            Mac m = Mac.getInstance(alg);
            m.init(new SecretKeySpec(key, alg));
            for (byte[] p : parts) {
                m.update(p);
            }
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A detached JWS over the raw body, with the given (already encoded) protected part and MAC algorithm. */
    static String jws(String encodedHeader, String alg, byte[] key, byte[] body) {
        byte[] m = mac(alg, key, (encodedHeader + ".").getBytes(StandardCharsets.US_ASCII), body);
        return encodedHeader + ".." + b64u(m);
    }

    static String jwsHeaderJson(String headerJson, byte[] key, byte[] body) {
        return jws(b64u(headerJson), "HmacSHA256", key, body);
    }

    static DeliveryRequest.Builder post(byte[] body) {
        return DeliveryRequest.builder()
                .method("POST")
                .header("Content-Type", "application/json")
                .body(body);
    }

    static DeliveryRequest signed(byte[] body) {
        return post(body).header(SIG, SignatureVerifier.sign(GLOBAL_KEY, body)).build();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What a delivery carries to prove itself, and what the verifier must conclude
    // ---------------------------------------------------------------------------------------------------------------

    /** What the verifier must conclude from the credentials a request carries. */
    enum Expect {
        /** Nothing recognised: 401, or UNSIGNED when unsigned deliveries are accepted. */
        MISSING,
        /** Something there that does not verify: 403. */
        INVALID,
        /** Verified by the global shared key. */
        GLOBAL,
        /** Verified by the job-only shared key. */
        JOB,
        /** Verified by the global token. */
        TOKEN,
        /** A valid signature, but by a key restricted to another project: 403 once the body parses. */
        SCOPED;

        boolean authentic() {
            return this == GLOBAL || this == JOB || this == TOKEN || this == SCOPED;
        }
    }

    enum Auth {
        NONE(Expect.MISSING),
        GLOBAL_SIG(Expect.GLOBAL),
        GLOBAL_SIG_LOWERCASE_NAME(Expect.GLOBAL),
        GLOBAL_SIG_UPPERCASE_NAME(Expect.GLOBAL),
        GLOBAL_SIG_SURROUNDING_SPACES(Expect.GLOBAL),
        GLOBAL_SIG_MAC_STANDARD_ALPHABET_PADDED(Expect.GLOBAL),
        GLOBAL_SIG_HEADER_STANDARD_ALPHABET_PADDED(Expect.GLOBAL),
        GLOBAL_SIG_HEADER_EXTRA_FIELD_AND_SPACES(Expect.GLOBAL),
        GLOBAL_SIG_WITH_WRONG_TOKEN(Expect.GLOBAL),
        JOB_SIG(Expect.JOB),
        SCOPED_SIG(Expect.SCOPED),
        TOKEN_HEADER(Expect.TOKEN),
        TOKEN_QUERY(Expect.TOKEN),
        TOKEN_QUERY_DUPLICATED_RIGHT_FIRST(Expect.TOKEN),
        TOKEN_QUERY_OTHER_NAME(Expect.MISSING),
        TOKEN_QUERY_WRONG(Expect.INVALID),
        TOKEN_HEADER_WRONG(Expect.INVALID),
        TOKEN_QUERY_EMPTY(Expect.INVALID),
        TOKEN_QUERY_OTHER_CASE(Expect.INVALID),
        TOKEN_IS_SHARED_KEY(Expect.INVALID),
        WRONG_SIG_WITH_RIGHT_TOKEN(Expect.INVALID),
        SIG_UNKNOWN_KEY(Expect.INVALID),
        // Platform.sh's examples disagree on the key bytes: the key's text as UTF-8 is the second reading tried.
        SIG_RAW_UTF8_KEY(Expect.GLOBAL),
        JOB_SIG_RAW_UTF8_KEY(Expect.JOB),
        SIG_UNKNOWN_KEY_RAW_UTF8(Expect.INVALID),
        SIG_RAW_UTF8_KEY_WITH_NEWLINE(Expect.INVALID),
        SIG_FOR_OTHER_BODY(Expect.INVALID),
        SIG_GARBLED(Expect.INVALID),
        SIG_EMPTY(Expect.INVALID),
        SIG_BLANK(Expect.INVALID),
        SIG_DUPLICATED(Expect.INVALID),
        SIG_DUPLICATED_ONE_BAD(Expect.INVALID),
        SIG_ALG_NONE(Expect.INVALID),
        SIG_ALG_NONE_NO_MAC(Expect.INVALID),
        SIG_ALG_LOWERCASE(Expect.INVALID),
        SIG_HS512(Expect.INVALID),
        SIG_HS512_HEADER_HS256_MAC(Expect.INVALID),
        SIG_B64_TRUE_CLASSIC_JWS(Expect.INVALID),
        SIG_B64_TRUE_WITH_CRIT(Expect.INVALID),
        SIG_B64_MISSING(Expect.INVALID),
        SIG_B64_STRING(Expect.INVALID),
        SIG_CRIT_MISSING(Expect.INVALID),
        SIG_CRIT_EXTRA(Expect.INVALID),
        SIG_CRIT_STRING(Expect.INVALID),
        SIG_ALG_NONE_THEN_HS256(Expect.INVALID),
        SIG_HEADER_NOT_OBJECT(Expect.INVALID),
        SIG_HEADER_NOT_BASE64(Expect.INVALID),
        SIG_ATTACHED_PAYLOAD(Expect.INVALID),
        SIG_TRUNCATED_MAC(Expect.INVALID),
        SIG_FLIPPED_MAC_CHAR(Expect.INVALID),
        SIG_TOO_LONG(Expect.INVALID),
        SIG_NEWLINE_INSIDE(Expect.INVALID);

        final Expect expect;

        Auth(Expect expect) {
            this.expect = expect;
        }

        /** Adds this auth's headers and query parameters for the body; noise feeds the garbled variants. */
        void apply(DeliveryRequest.Builder b, byte[] body, String noise) {
            byte[] global = keyBytes(GLOBAL_KEY);
            String good = SignatureVerifier.sign(GLOBAL_KEY, body);
            String goodHeader = good.substring(0, good.indexOf(".."));
            String goodMac = good.substring(good.indexOf("..") + 2);
            switch (this) {
                case NONE -> {}
                case GLOBAL_SIG -> b.header(SIG, good);
                case GLOBAL_SIG_LOWERCASE_NAME -> b.header("x-jws-signature", good);
                case GLOBAL_SIG_UPPERCASE_NAME -> b.header("X-JWS-SIGNATURE", good);
                case GLOBAL_SIG_SURROUNDING_SPACES -> b.header(SIG, "  " + good + " \t");
                case GLOBAL_SIG_MAC_STANDARD_ALPHABET_PADDED ->
                    b.header(
                            SIG,
                            goodHeader + ".."
                                    + Base64.getEncoder()
                                            .encodeToString(
                                                    Base64.getUrlDecoder().decode(goodMac)));
                case GLOBAL_SIG_HEADER_STANDARD_ALPHABET_PADDED ->
                    b.header(
                            SIG,
                            jws(
                                    Base64.getEncoder().encodeToString(PROTECTED.getBytes(StandardCharsets.UTF_8)),
                                    "HmacSHA256",
                                    global,
                                    body));
                case GLOBAL_SIG_HEADER_EXTRA_FIELD_AND_SPACES ->
                    b.header(
                            SIG,
                            jwsHeaderJson(
                                    "{ \"kid\" : \"k1\", \"alg\" : \"HS256\" , \"b64\" : false, \"crit\" : [ \"b64\" ] }",
                                    global,
                                    body));
                case GLOBAL_SIG_WITH_WRONG_TOKEN ->
                    b.header(SIG, good).query("token", "wrong" + noise).header(SignatureVerifier.TOKEN_HEADER, "wrong");
                case JOB_SIG -> b.header(SIG, SignatureVerifier.sign(JOB_KEY, body));
                case SCOPED_SIG -> b.header(SIG, SignatureVerifier.sign(SCOPED_KEY, body));
                case TOKEN_HEADER -> b.header(SignatureVerifier.TOKEN_HEADER, TOKEN);
                case TOKEN_QUERY -> b.query("token", TOKEN);
                case TOKEN_QUERY_DUPLICATED_RIGHT_FIRST ->
                    b.query("token", TOKEN).query("token", "wrong" + noise);
                case TOKEN_QUERY_OTHER_NAME -> b.query("Token", TOKEN).query("access_token", TOKEN);
                case TOKEN_QUERY_WRONG -> b.query("token", TOKEN + "x" + noise);
                case TOKEN_HEADER_WRONG -> b.header(SignatureVerifier.TOKEN_HEADER, "x" + noise);
                case TOKEN_QUERY_EMPTY -> b.query("token", "");
                case TOKEN_QUERY_OTHER_CASE -> b.query("token", TOKEN.toUpperCase(java.util.Locale.ROOT));
                case TOKEN_IS_SHARED_KEY -> b.query("token", GLOBAL_KEY);
                case WRONG_SIG_WITH_RIGHT_TOKEN ->
                    b.header(SIG, SignatureVerifier.sign(UNKNOWN_KEY, body)).query("token", TOKEN);
                case SIG_UNKNOWN_KEY -> b.header(SIG, SignatureVerifier.sign(UNKNOWN_KEY, body));
                case SIG_RAW_UTF8_KEY ->
                    b.header(SIG, jws(goodHeader, "HmacSHA256", GLOBAL_KEY.getBytes(StandardCharsets.UTF_8), body));
                case JOB_SIG_RAW_UTF8_KEY ->
                    b.header(SIG, jws(goodHeader, "HmacSHA256", JOB_KEY.getBytes(StandardCharsets.UTF_8), body));
                case SIG_UNKNOWN_KEY_RAW_UTF8 ->
                    b.header(SIG, jws(goodHeader, "HmacSHA256", UNKNOWN_KEY.getBytes(StandardCharsets.UTF_8), body));
                // The configured text is trimmed; a sender's key with a new line in it is another key.
                case SIG_RAW_UTF8_KEY_WITH_NEWLINE ->
                    b.header(
                            SIG,
                            jws(goodHeader, "HmacSHA256", (GLOBAL_KEY + "\n").getBytes(StandardCharsets.UTF_8), body));
                case SIG_FOR_OTHER_BODY ->
                    b.header(
                            SIG,
                            SignatureVerifier.sign(
                                    GLOBAL_KEY, concat(body, (" " + noise).getBytes(StandardCharsets.UTF_8))));
                case SIG_GARBLED -> b.header(SIG, noise);
                case SIG_EMPTY -> b.header(SIG, "");
                case SIG_BLANK -> b.header(SIG, " \t ");
                case SIG_DUPLICATED -> b.header(SIG, good).header(SIG, good);
                case SIG_DUPLICATED_ONE_BAD -> b.header(SIG, good).header(SIG, "x" + noise);
                case SIG_ALG_NONE ->
                    b.header(SIG, jwsHeaderJson("{\"alg\":\"none\",\"b64\":false,\"crit\":[\"b64\"]}", global, body));
                case SIG_ALG_NONE_NO_MAC ->
                    b.header(SIG, b64u("{\"alg\":\"none\",\"b64\":false,\"crit\":[\"b64\"]}") + "..");
                case SIG_ALG_LOWERCASE ->
                    b.header(SIG, jwsHeaderJson("{\"alg\":\"hs256\",\"b64\":false,\"crit\":[\"b64\"]}", global, body));
                case SIG_HS512 ->
                    b.header(
                            SIG,
                            jws(
                                    b64u("{\"alg\":\"HS512\",\"b64\":false,\"crit\":[\"b64\"]}"),
                                    "HmacSHA512",
                                    global,
                                    body));
                case SIG_HS512_HEADER_HS256_MAC ->
                    b.header(SIG, jwsHeaderJson("{\"alg\":\"HS512\",\"b64\":false,\"crit\":[\"b64\"]}", global, body));
                case SIG_B64_TRUE_CLASSIC_JWS -> {
                    String h = b64u("{\"alg\":\"HS256\"}");
                    byte[] m = mac("HmacSHA256", global, (h + "." + b64u(body)).getBytes(StandardCharsets.US_ASCII));
                    b.header(SIG, h + ".." + b64u(m));
                }
                case SIG_B64_TRUE_WITH_CRIT ->
                    b.header(SIG, jwsHeaderJson("{\"alg\":\"HS256\",\"b64\":true,\"crit\":[\"b64\"]}", global, body));
                case SIG_B64_MISSING ->
                    b.header(SIG, jwsHeaderJson("{\"alg\":\"HS256\",\"crit\":[\"b64\"]}", global, body));
                case SIG_B64_STRING ->
                    b.header(
                            SIG,
                            jwsHeaderJson("{\"alg\":\"HS256\",\"b64\":\"false\",\"crit\":[\"b64\"]}", global, body));
                case SIG_CRIT_MISSING ->
                    b.header(SIG, jwsHeaderJson("{\"alg\":\"HS256\",\"b64\":false}", global, body));
                case SIG_CRIT_EXTRA ->
                    b.header(
                            SIG,
                            jwsHeaderJson(
                                    "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\",\"exp\"]}", global, body));
                case SIG_CRIT_STRING ->
                    b.header(SIG, jwsHeaderJson("{\"alg\":\"HS256\",\"b64\":false,\"crit\":\"b64\"}", global, body));
                case SIG_ALG_NONE_THEN_HS256 ->
                    b.header(
                            SIG,
                            jwsHeaderJson(
                                    "{\"alg\":\"none\",\"b64\":false,\"crit\":[\"b64\"],\"alg\":\"HS256\"}",
                                    global,
                                    body));
                case SIG_HEADER_NOT_OBJECT -> b.header(SIG, jwsHeaderJson("[\"HS256\",false,[\"b64\"]]", global, body));
                case SIG_HEADER_NOT_BASE64 -> b.header(SIG, "%%" + goodHeader + ".." + goodMac);
                // (For an empty body the attached form would be the detached one; send "{}" attached instead.)
                case SIG_ATTACHED_PAYLOAD ->
                    b.header(SIG, goodHeader + "." + (body.length == 0 ? "e30" : b64u(body)) + "." + goodMac);
                case SIG_TRUNCATED_MAC ->
                    b.header(SIG, good.substring(0, good.length() - 1 - Math.floorMod(noise.length(), 20)));
                case SIG_FLIPPED_MAC_CHAR -> {
                    // Any of the first 42 characters of a 43-character MAC carries 6 significant bits.
                    int i = Math.floorMod(noise.hashCode(), 42);
                    char c = goodMac.charAt(i);
                    char d = c == 'A' ? 'B' : 'A';
                    b.header(SIG, goodHeader + ".." + goodMac.substring(0, i) + d + goodMac.substring(i + 1));
                }
                case SIG_TOO_LONG -> b.header(SIG, good + "A".repeat(4100));
                case SIG_NEWLINE_INSIDE -> b.header(SIG, goodHeader + "\n.." + goodMac);
                default -> throw new AssertionError(this);
            }
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Byte-level and structural mutations
    // ---------------------------------------------------------------------------------------------------------------

    enum MutationKind {
        FLIP_BIT,
        SET_BYTE,
        TRUNCATE,
        INSERT_TEXT,
        DELETE_RANGE,
        DUPLICATE_RANGE,
        BOM_PREFIX,
        TRAILING_GARBAGE,
        DUPLICATE_KEY,
        DEEP_NESTING,
        SWAP_QUOTE,
        RAW_CONTROL_CHAR,
        UPPERCASE_RANGE
    }

    /** Texts that are likely to confuse a JSON parser or whatever reads its values. */
    static final List<String> NASTY_TOKENS = List.of(
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\\",
            "\\u",
            "\\ud800",
            "\\udfff",
            "\\u0000",
            "null",
            "true",
            "-",
            "0",
            "1e999999999",
            "-1e-999999999",
            "123456789012345678901234567890",
            "NaN",
            "Infinity",
            "\u0000",
            "\uFEFF",
            "\ufffd",
            "<script>alert(1)</script>",
            "\u202Egnp.exe",
            "😀",
            "\u00e9",
            "/*",
            "*/",
            "//",
            "'",
            "\"id\":",
            "\"type\":\"environment.push\",",
            "{}",
            "[]",
            "\r\n",
            "\t",
            " ",
            "\"\":\"\",",
            ",,",
            "::",
            "\"\\\"",
            "]]]]]]]]",
            "[[[[[[[[",
            "}}}}",
            "{{{{");

    record Mutation(MutationKind kind, int at, int size, String text) {

        byte[] apply(byte[] in) {
            int n = in.length;
            int p = Math.floorMod(at, n + 1);
            switch (kind) {
                case FLIP_BIT -> {
                    if (n == 0) {
                        return in;
                    }
                    byte[] out = in.clone();
                    out[Math.floorMod(at, n)] ^= (byte) (1 << (size & 7));
                    return out;
                }
                case SET_BYTE -> {
                    if (n == 0) {
                        return in;
                    }
                    byte[] out = in.clone();
                    out[Math.floorMod(at, n)] = (byte) size;
                    return out;
                }
                case TRUNCATE -> {
                    return Arrays.copyOf(in, p);
                }
                case INSERT_TEXT -> {
                    return insert(in, p, text.getBytes(StandardCharsets.UTF_8));
                }
                case DELETE_RANGE -> {
                    int end = Math.min(n, p + 1 + (size & 0xFF));
                    return concat(Arrays.copyOf(in, p), Arrays.copyOfRange(in, end, n));
                }
                case DUPLICATE_RANGE -> {
                    int end = Math.min(n, p + 1 + (size & 0xFF));
                    return insert(in, p, Arrays.copyOfRange(in, p, end));
                }
                case BOM_PREFIX -> {
                    byte[][] boms = {
                        {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        {(byte) 0xFE, (byte) 0xFF},
                        {(byte) 0xFF, (byte) 0xFE},
                        {(byte) 0xEF, (byte) 0xBB},
                        {0, 0, (byte) 0xFE, (byte) 0xFF}
                    };
                    return concat(boms[Math.floorMod(size, boms.length)], in);
                }
                case TRAILING_GARBAGE -> {
                    return concat(in, text.getBytes(StandardCharsets.UTF_8));
                }
                case DUPLICATE_KEY -> {
                    String[] dups = {
                        "\"id\":\"dup-id\",",
                        "\"type\":\"environment.merge\",",
                        "\"id\":1,",
                        "\"payload\":[],",
                        "\"state\":\"pending\",",
                        "\"project\":{\"id\":\"x\"},",
                        "\"event\":{},",
                        "\"environments\":\"main\",",
                        "\"id\":null,",
                        "\"log\":" + jsonString(text) + ","
                    };
                    int brace = indexOf(in, (byte) '{');
                    if (brace < 0) {
                        return in;
                    }
                    return insert(
                            in, brace + 1, dups[Math.floorMod(size, dups.length)].getBytes(StandardCharsets.UTF_8));
                }
                case DEEP_NESTING -> {
                    int brace = indexOf(in, (byte) '{');
                    if (brace < 0) {
                        return in;
                    }
                    int depth = 1 + Math.floorMod(size, 3000);
                    String open = Math.floorMod(at, 2) == 0 ? "[" : "{\"a\":";
                    String close = open.equals("[") ? "]" : "}";
                    String nested = "\"zz\":" + open.repeat(depth) + "0" + close.repeat(depth) + ",";
                    return insert(in, brace + 1, nested.getBytes(StandardCharsets.UTF_8));
                }
                case SWAP_QUOTE -> {
                    byte[] out = in.clone();
                    int seen = 0;
                    for (int i = 0; i < n; i++) {
                        if (out[i] == '"' && seen++ == Math.floorMod(size, 64)) {
                            out[i] = '\'';
                            break;
                        }
                    }
                    return out;
                }
                case RAW_CONTROL_CHAR -> {
                    return insert(in, p, new byte[] {(byte) Math.floorMod(size, 0x20)});
                }
                case UPPERCASE_RANGE -> {
                    byte[] out = in.clone();
                    for (int i = p; i < Math.min(n, p + 1 + (size & 0x3F)); i++) {
                        if (out[i] >= 'a' && out[i] <= 'z') {
                            out[i] -= 32;
                        }
                    }
                    return out;
                }
                default -> throw new AssertionError(kind);
            }
        }

        @Override
        public String toString() {
            String shown = text.length() > 40 ? text.substring(0, 40) + "...(" + text.length() + ")" : text;
            return kind + "@" + at + "/" + size
                    + (kind == MutationKind.INSERT_TEXT || kind == MutationKind.TRAILING_GARBAGE
                            ? "[" + shown + "]"
                            : "");
        }
    }

    static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    static byte[] insert(byte[] in, int at, byte[] what) {
        byte[] out = new byte[in.length + what.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(in, at, out, at + what.length, in.length - at);
        return out;
    }

    /** A fixture with mutations applied in order; printed readably by jqwik when a try fails. */
    record MutatedBody(Fixture fixture, List<Mutation> mutations) {
        byte[] bytes() {
            byte[] b = fixture.bytes;
            for (Mutation m : mutations) {
                b = m.apply(b);
            }
            return b;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // JSON text helpers
    // ---------------------------------------------------------------------------------------------------------------

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A JSON string literal; control characters and unpaired surrogates (or, if asked, all non-ASCII) as escapes. */
    static String jsonString(String s, boolean escapeNonAscii) {
        StringBuilder sb = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair =
                    Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || (Character.isSurrogate(c) && !pair) || (escapeNonAscii && c > 0x7E)) {
                appendEscape(sb, c);
                if (pair) {
                    appendEscape(sb, s.charAt(++i));
                }
            } else if (pair) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static void appendEscape(StringBuilder sb, char c) {
        String hex = "0123456789abcdef";
        sb.append("\\u")
                .append(hex.charAt(c >> 12))
                .append(hex.charAt((c >> 8) & 15))
                .append(hex.charAt((c >> 4) & 15))
                .append(hex.charAt(c & 15));
    }

    static String jsonString(String s) {
        return jsonString(s, false);
    }

    /**
     * The fixture with the value at a dotted path replaced by raw JSON text (parents created as needed). A segment
     * {@code $route} stands for the first key of the object (route URLs contain dots).
     */
    static byte[] withRawValue(Fixture f, String path, String rawJson) {
        try {
            JsonNode root = f.tree();
            String marker = "@@value-marker-7f3a@@";
            String[] segs = path.split("\\.");
            JsonNode cur = root;
            for (int i = 0; i < segs.length - 1; i++) {
                JsonNode next = child(cur, segs[i]);
                if (next == null || !next.isContainerNode()) {
                    next = isIndex(segs[i + 1]) ? MAPPER.createArrayNode() : MAPPER.createObjectNode();
                    put(cur, segs[i], next);
                }
                cur = next;
            }
            put(cur, segs[segs.length - 1], TextNode.valueOf(marker));
            String text = MAPPER.writeValueAsString(root);
            String quoted = "\"" + marker + "\"";
            int at = text.indexOf(quoted);
            return (text.substring(0, at) + rawJson + text.substring(at + quoted.length()))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isIndex(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static String fieldName(JsonNode obj, String seg) {
        if (seg.equals("$route")) {
            Iterator<String> names = obj.fieldNames();
            return names.hasNext() ? names.next() : ROUTE_URL;
        }
        return seg;
    }

    private static JsonNode child(JsonNode cur, String seg) {
        if (cur instanceof ArrayNode a) {
            return isIndex(seg) && Integer.parseInt(seg) < a.size() ? a.get(Integer.parseInt(seg)) : null;
        }
        return cur.get(fieldName(cur, seg));
    }

    private static void put(JsonNode cur, String seg, JsonNode value) {
        if (cur instanceof ArrayNode a) {
            int i = isIndex(seg) ? Integer.parseInt(seg) : 0;
            while (a.size() <= i) {
                a.add(NullNode.getInstance());
            }
            a.set(i, value);
        } else {
            ((ObjectNode) cur).set(fieldName(cur, seg), value);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The invariants every try checks
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * @param trusted a dry run with skipVerification: every key counts as having verified it
     */
    static void checkInvariants(Outcome o, Auth auth, boolean acceptUnsigned, boolean trusted) {
        assertNotNull(o);
        assertTrue(ALLOWED_STATUSES.contains(o.status()), () -> "status " + o);
        assertNotNull(o.body());
        assertFalse(o.body().contains(JOB_PREFIX), () -> "the answer names a job: " + o.body());
        if (o.kind() == Outcome.Kind.REJECTED) {
            assertTrue(o.schedules().isEmpty(), "a rejected outcome has schedules");
            assertTrue(o.status() != 200, () -> "rejected with 200: " + o);
        } else {
            assertEquals(200, o.status(), () -> o.kind() + " " + o);
        }
        // A released waiting step counts as accepted too (the sender's answer); no wait here releases nothing.
        assertEquals(
                o.kind() == Outcome.Kind.ACCEPTED,
                !o.schedules().isEmpty() || !o.releases().isEmpty(),
                () -> "kind, schedules and releases: " + o);
        if (o.kind() == Outcome.Kind.REJECTED) {
            assertTrue(o.releases().isEmpty(), "a rejected outcome released a wait");
        }
        if (o.schedules().isEmpty()) {
            return;
        }
        Expect e = auth.expect;
        boolean allowed = trusted
                || e == Expect.GLOBAL
                || e == Expect.JOB
                || e == Expect.TOKEN
                || (e == Expect.MISSING && acceptUnsigned);
        assertTrue(allowed, () -> "scheduled without a valid signature or token: " + auth + " " + o);
        Set<String> targets = o.schedules().stream().map(Schedule::targetId).collect(Collectors.toSet());
        if (!trusted) {
            switch (e) {
                case GLOBAL ->
                    assertTrue(
                            !targets.contains(JOB_TOKEN_ONLY)
                                    && !targets.contains(JOB_OWN_KEY)
                                    && targets.contains(JOB_ALL),
                            () -> "global key scheduled " + targets);
                case JOB -> assertEquals(Set.of(JOB_OWN_KEY), targets);
                case TOKEN ->
                    assertTrue(
                            !targets.contains(JOB_OWN_KEY)
                                    && targets.contains(JOB_ALL)
                                    && targets.contains(JOB_TOKEN_ONLY),
                            () -> "token scheduled " + targets);
                case MISSING ->
                    assertTrue(
                            !targets.contains(JOB_TOKEN_ONLY)
                                    && !targets.contains(JOB_OWN_KEY)
                                    && targets.contains(JOB_ALL),
                            () -> "unsigned scheduled " + targets);
                default -> fail("scheduled for " + e);
            }
        }
        for (Schedule s : o.schedules()) {
            assertTrue(s.targetId().startsWith(JOB_PREFIX));
            assertNotNull(s.activity());
            assertNotNull(s.redactedPayload());
            assertTrue(
                    s.causeText().chars().noneMatch(Character::isISOControl),
                    () -> "control character (a line break?) in the cause: " + s.causeText());
            assertTrue(s.causeText().length() < 1000, "cause text is bounded");
            assertEquals(Html.escape(s.causeText()), s.causeHtml());
            assertFalse(
                    s.causeHtml().contains("<")
                            || s.causeHtml().contains(">")
                            || s.causeHtml().contains("\"")
                            || s.causeHtml().contains("'"),
                    () -> "unescaped HTML in the cause: " + s.causeHtml());
            s.variables().forEach((k, v) -> {
                assertTrue(VARIABLE_NAMES.contains(k), k);
                assertNotNull(v, k);
            });
        }
    }

    /**
     * The delivery was not marked as seen: sent again correctly signed to the same (otherwise fresh) service, it is
     * not a duplicate. (Only a marked key can make a DUPLICATE, and a marked key makes any parsable body one.)
     *
     * @return the outcome of the signed delivery
     */
    static Outcome assertNotMarked(DeliveryService svc, byte[] body) {
        Outcome again = decide(svc, signed(body), SIGNED_ONLY);
        checkInvariants(again, Auth.GLOBAL_SIG, false, false);
        assertTrue(again.kind() != Outcome.Kind.DUPLICATE, () -> "an unverified request marked the delivery: " + again);
        return again;
    }

    /** Whether a text is one well-formed JSON value (streamed, nothing built). */
    static boolean isJson(String text) {
        try (com.fasterxml.jackson.core.JsonParser p = MAPPER.getFactory().createParser(text)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    static Outcome decide(DeliveryService svc, DeliveryRequest r, DeliverySettings s) {
        try {
            return svc.decide(r, s, KEYS);
        } catch (Throwable t) {
            throw new AssertionError("decide threw " + t, t);
        }
    }

    static Outcome dryRun(DeliveryService svc, DeliveryRequest r, DeliverySettings s, boolean skip) {
        try {
            return svc.dryRun(r, s, KEYS, skip);
        } catch (Throwable t) {
            throw new AssertionError("dryRun threw " + t, t);
        }
    }

    /**
     * Sets the try aside when it would hit the scoped-key bug: a project-scoped key and a body without project. (It is
     * recognised by its input, not by the exception: a hot implicit NullPointerException may have no stack trace.)
     */
    static void setAsideScopedKeyWithoutProject(byte[] body, Auth auth, boolean skipVerification) {
        if (!TOLERATE_BUG_SCOPED_KEY_WITHOUT_PROJECT || auth.expect != Expect.SCOPED || skipVerification) {
            return;
        }
        try {
            if (ActivityParser.parse(body).project() == null) {
                Statistics.label("known bug").collect("scoped key, no project");
                net.jqwik.api.Assume.that(false);
            }
        } catch (MalformedDeliveryException e) {
            // 400 before any key is scoped: not the bug
        }
    }

    /** The statuses a POSTed JSON request with this auth can have, whatever its body (under the size limit). */
    static void checkStatusForAuth(Outcome o, Auth auth, boolean acceptUnsigned) {
        int st = o.status();
        switch (auth.expect) {
            case MISSING -> assertTrue(acceptUnsigned ? st == 200 || st == 400 : st == 401, () -> auth + " " + o);
            case INVALID -> assertEquals(403, st, () -> auth + " " + o);
            case GLOBAL, TOKEN, JOB -> assertTrue(st == 200 || st == 400, () -> auth + " " + o);
            case SCOPED -> assertTrue(st == 403 || st == 400, () -> auth + " " + o);
            default -> fail();
        }
        if (st == 200
                && (auth.expect == Expect.GLOBAL || auth.expect == Expect.TOKEN || auth.expect == Expect.MISSING)) {
            // JOB_ALL wants every delivery that parses, so on a fresh service nothing verified is ignored.
            assertEquals(Outcome.Kind.ACCEPTED, o.kind(), () -> auth + " " + o);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Generators
    // ---------------------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Auth> auths() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(Auth.GLOBAL_SIG)),
                Tuple.of(1, Arbitraries.just(Auth.NONE)),
                Tuple.of(1, Arbitraries.of(Auth.TOKEN_QUERY, Auth.TOKEN_HEADER, Auth.JOB_SIG, Auth.SCOPED_SIG)),
                Tuple.of(3, Arbitraries.of(Auth.class)));
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().ofMinLength(0).ofMaxLength(60)),
                Tuple.of(
                        2,
                        Arbitraries.strings()
                                .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.=+/")
                                .ofMinLength(0)
                                .ofMaxLength(120)),
                Tuple.of(1, Arbitraries.of(NASTY_TOKENS)));
    }

    @Provide
    Arbitrary<MutatedBody> mutatedBodies() {
        Arbitrary<String> texts = Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.of(NASTY_TOKENS)),
                Tuple.of(30, Arbitraries.strings().ofMinLength(1).ofMaxLength(12)),
                Tuple.of(
                        10,
                        Arbitraries.strings()
                                .withCharRange(' ', '~')
                                .ofMinLength(1)
                                .ofMaxLength(200)),
                Tuple.of(1, Arbitraries.integers().between(1000, 100_000).map(n -> "x".repeat(n))));
        Arbitrary<Mutation> mutation = Combinators.combine(
                        Arbitraries.of(MutationKind.class),
                        Arbitraries.integers().between(0, 1 << 20),
                        Arbitraries.integers().between(0, 1 << 16),
                        texts)
                .as(Mutation::new);
        return Combinators.combine(
                        Arbitraries.of(Fixture.class),
                        mutation.list().ofMinSize(1).ofMaxSize(4))
                .as(MutatedBody::new);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Properties
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Byte flips, truncations, insertions, deletions, BOMs, trailing garbage, duplicate keys and deep nesting, each
     * sent with a right or wrong credential. The status follows from the credential alone; an unverified request
     * leaves nothing marked.
     */
    @Property(tries = 20_000, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.MIXIN)
    void mutatedBodiesWithAnyCredential(
            @ForAll("mutatedBodies") MutatedBody mutated,
            @ForAll("auths") Auth auth,
            @ForAll("noise") String noise,
            @ForAll boolean acceptUnsigned) {
        byte[] body = mutated.bytes();
        DeliverySettings settings = acceptUnsigned ? UNSIGNED_OK : SIGNED_ONLY;
        setAsideScopedKeyWithoutProject(body, auth, false);
        DeliveryService svc = new DeliveryService(INDEX);
        DeliveryRequest.Builder b = post(body);
        auth.apply(b, body, noise);
        Outcome o = decide(svc, b.build(), settings);
        Statistics.label("status").collect(o.status());
        checkInvariants(o, auth, acceptUnsigned, false);
        checkStatusForAuth(o, auth, acceptUnsigned);
        if (!o.verification().map(Verification::passed).orElse(false) || o.status() == 403) {
            assertNotMarked(svc, body);
        }
    }

    enum WrongValue {
        INT("42"),
        NEGATIVE("-7"),
        FLOAT("3.25"),
        EXPONENT("1e999999999"),
        HUGE_INT("9".repeat(900)),
        TOO_LONG_NUMBER("9".repeat(1200)),
        TRUE("true"),
        FALSE("false"),
        NULL("null"),
        EMPTY_OBJECT("{}"),
        OBJECT("{\"id\":\"x\",\"name\":[1,2],\"sha\":{}}"),
        EMPTY_ARRAY("[]"),
        ARRAY_MIXED("[1,\"two\",null,{\"sha\":\"abc\"},[true]]"),
        ARRAY_OF_STRINGS("[\"a\",\"b\"]"),
        STRING("\"wrong-type-string\""),
        EMPTY_STRING("\"\""),
        NESTED_ARRAYS_OK(null),
        NESTED_ARRAYS_TOO_DEEP(null),
        NESTED_OBJECTS_OK(null),
        NESTED_OBJECTS_TOO_DEEP(null),
        DUPLICATE_KEYS_OBJECT("{\"a\":1,\"a\":2,\"name\":\"x\",\"name\":{\"y\":1},\"type\":\"upstream\",\"type\":3}");

        final String json;

        WrongValue(String json) {
            this.json = json;
        }

        String json(int depth) {
            return switch (this) {
                case NESTED_ARRAYS_OK, NESTED_ARRAYS_TOO_DEEP -> "[".repeat(depth) + "\"x\"" + "]".repeat(depth);
                case NESTED_OBJECTS_OK, NESTED_OBJECTS_TOO_DEEP -> "{\"k\":".repeat(depth) + "1" + "}".repeat(depth);
                default -> json;
            };
        }

        int depth(int seed) {
            return switch (this) {
                case NESTED_ARRAYS_OK, NESTED_OBJECTS_OK -> 1 + Math.floorMod(seed, 180);
                case NESTED_ARRAYS_TOO_DEEP, NESTED_OBJECTS_TOO_DEEP -> 210 + Math.floorMod(seed, 5000);
                default -> 0;
            };
        }

        boolean tooBig() {
            return this == TOO_LONG_NUMBER || this == NESTED_ARRAYS_TOO_DEEP || this == NESTED_OBJECTS_TOO_DEEP;
        }

        boolean isObject() {
            return this == EMPTY_OBJECT || this == OBJECT || this == NESTED_OBJECTS_OK || this == DUPLICATE_KEYS_OBJECT;
        }
    }

    static final List<String> ACTIVITY_PATHS = List.of(
            "id",
            "type",
            "project",
            "environments",
            "environments.0",
            "state",
            "result",
            "created_at",
            "started_at",
            "completed_at",
            "description",
            "text",
            "log",
            "timings",
            "completion_percent",
            "event",
            "parameters",
            "parameters.environment",
            "parameters.new_commit",
            "parameters.old_commit",
            "parameters.from",
            "parameters.into",
            "_links",
            "_links.self",
            "_links.self.href",
            "payload",
            "payload.user",
            "payload.user.display_name",
            "payload.environment",
            "payload.environment.name",
            "payload.environment.machine_name",
            "payload.environment.head_commit",
            "payload.environment.parent",
            "payload.environment.type",
            "payload.environment.http_access",
            "payload.environment.http_access.basic_auth",
            "payload.commits",
            "payload.commits.0",
            "payload.commits.0.sha",
            "payload.commits.0.author",
            "payload.commits.0.author.name",
            "payload.commits.0.author.email",
            "payload.commits.0.message",
            "payload.commits_count",
            "payload.deployment",
            "payload.deployment.environment_info",
            "payload.deployment.environment_info.reference",
            "payload.deployment.routes",
            "payload.deployment.routes.$route",
            "payload.deployment.routes.$route.type",
            "payload.deployment.routes.$route.primary",
            "payload.deployment.variables",
            "payload.deployment.variables.0",
            "payload.deployment.variables.0.value");

    static final List<String> HEALTH_PATHS = List.of(
            "project",
            "project.id",
            "event",
            "event.time",
            "event.origin",
            "event.origin.project",
            "event.origin.environment",
            "event.origin.service",
            "event.origin.instance",
            "event.component",
            "event.subcomponent",
            "event.severity",
            "event.message",
            "event.metrics",
            "environments",
            "state");

    /**
     * The paths of the fixtures whose scalar is an identifying value with a bound (see {@link FieldBounds}): the
     * 900-digit number is over every such bound, and refused with 400 (issue 21).
     */
    static final Set<String> BOUNDED_ACTIVITY_PATHS = Set.of(
            "project",
            "environments.0",
            "state",
            "result",
            "created_at",
            "started_at",
            "completed_at",
            "parameters.environment",
            "parameters.new_commit",
            "parameters.old_commit",
            "parameters.from",
            "parameters.into",
            "payload.environment.name",
            "payload.environment.machine_name",
            "payload.environment.parent",
            "payload.environment.type",
            "payload.commits.0.sha",
            "payload.deployment.environment_info.reference");

    static final Set<String> BOUNDED_HEALTH_PATHS = Set.of(
            "project",
            "project.id",
            "state",
            "event.time",
            "event.origin.project",
            "event.origin.environment",
            "event.origin.service",
            "event.origin.instance",
            "event.component",
            "event.subcomponent",
            "event.severity");

    record WrongType(Fixture fixture, String path, WrongValue value, int seed) {
        byte[] bytes() {
            return withRawValue(fixture, path, value.json(value.depth(seed)));
        }

        int expectedStatus() {
            if (value.tooBig()) {
                return 400;
            }
            if (!fixture.health && (path.equals("id") || path.equals("type"))) {
                return value == WrongValue.STRING ? 200 : 400;
            }
            if (fixture.health && path.equals("event")) {
                return value.isObject() ? 200 : 400;
            }
            if (value == WrongValue.HUGE_INT
                    && (fixture.health ? BOUNDED_HEALTH_PATHS : BOUNDED_ACTIVITY_PATHS).contains(path)) {
                return 400;
            }
            return 200;
        }

        @Override
        public String toString() {
            return fixture + " " + path + " = " + value
                    + (value.depth(seed) > 0 ? "(depth " + value.depth(seed) + ")" : "");
        }
    }

    @Provide
    Arbitrary<WrongType> wrongTypes() {
        Arbitrary<Fixture> fixtures = Arbitraries.of(Fixture.class);
        return fixtures.flatMap(f -> Combinators.combine(
                        Arbitraries.of(f.health ? HEALTH_PATHS : ACTIVITY_PATHS),
                        Arbitraries.of(WrongValue.class),
                        Arbitraries.integers())
                .as((p, v, s) -> new WrongType(f, p, v, s)));
    }

    /**
     * Every known field with a value of every wrong type, signed with the global key. Only a body that is not an
     * activity at all (id or type not a string, nesting or a number over the limits) is refused; any other type
     * error is tolerated and the delivery still builds, and no secret or log text reaches the stored payload.
     */
    @Property(tries = 20_000, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.MIXIN)
    void wrongTypesForEveryKnownField(@ForAll("wrongTypes") WrongType wrong) {
        byte[] body = wrong.bytes();
        DeliveryService svc = new DeliveryService(INDEX);
        Outcome o = decide(svc, signed(body), SIGNED_ONLY);
        Statistics.label("status").collect(o.status());
        checkInvariants(o, Auth.GLOBAL_SIG, false, false);
        assertEquals(wrong.expectedStatus(), o.status(), () -> wrong + " -> " + o);
        if (o.status() == 200) {
            assertEquals(Outcome.Kind.ACCEPTED, o.kind());
            for (Schedule s : o.schedules()) {
                String stored = s.redactedPayload();
                assertFalse(
                        stored.contains(BASIC_AUTH_SECRET)
                                || stored.contains(VARIABLE_SECRET)
                                || stored.contains(LOG_MARKER),
                        () -> "secret or log in the stored payload: " + wrong);
                assertTrue(isJson(stored), "the stored payload is JSON");
            }
        }
    }

    enum ContentType {
        JSON("application/json", true),
        JSON_UTF8("application/json; charset=utf-8", true),
        JSON_UTF8_UPPER("application/json;charset=UTF-8", true),
        UPPER("APPLICATION/JSON", true),
        MIXED_QUOTED("Application/Json; Charset=\"utf-8\"", true),
        UTF8_NO_DASH("application/json ; charset=utf8", true),
        OTHER_PARAMETER("application/json; version=1", true),
        DUPLICATED_JSON_FIRST(null, true),
        // Which Content-Type Platform.sh sends is undocumented: none, text/plain and generic binary are read as JSON.
        MISSING(null, true),
        EMPTY("", true),
        BLANK("   ", true),
        TEXT_PLAIN("text/plain", true),
        TEXT_PLAIN_UTF8("text/plain; charset=UTF-8", true),
        OCTET("application/octet-stream", true),
        TEXT_JSON("text/json", true),
        VND("application/vnd.api+json", true),
        DUPLICATED_TEXT_FIRST(null, true),
        FORM("application/x-www-form-urlencoded", false),
        LATIN1("application/json; charset=latin1", false),
        ISO("application/json; charset=ISO-8859-1", false),
        UTF16("application/json; charset=utf-16", false),
        TEXT_PLAIN_LATIN1("text/plain; charset=latin1", false),
        EMPTY_CHARSET("application/json; charset=", false),
        JSONP("application/jsonp", false),
        LIST("application/json, text/plain", false),
        MULTIPART("multipart/form-data; boundary=x", false),
        MULTIPART_MIXED("multipart/mixed", false),
        HTML("text/html", false),
        XML("application/xml", false),
        FORM_WITH_JSON_PARAM("application/x-www-form-urlencoded; type=application/json", false);

        final String value;
        final boolean valid;

        ContentType(String value, boolean valid) {
            this.value = value;
            this.valid = valid;
        }

        void apply(DeliveryRequest.Builder b) {
            switch (this) {
                case MISSING -> {}
                case DUPLICATED_JSON_FIRST ->
                    b.header("Content-Type", "application/json").header("content-type", "text/plain");
                case DUPLICATED_TEXT_FIRST ->
                    b.header("Content-Type", "text/plain").header("content-type", "application/json");
                default -> b.header("Content-Type", value);
            }
        }
    }

    record Headers(String method, ContentType contentType, Auth auth, String noise, boolean acceptUnsigned) {}

    @Provide
    Arbitrary<Headers> headers() {
        Arbitrary<String> methods = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just("POST")),
                Tuple.of(
                        2,
                        Arbitraries.of(
                                "GET",
                                "PUT",
                                "post",
                                "Post",
                                "",
                                " POST",
                                "POST ",
                                "DELETE",
                                "PATCH",
                                "HEAD",
                                "OPTIONS",
                                "TRACE",
                                "CONNECT",
                                "P\u00d8ST")));
        Arbitrary<ContentType> types = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(ContentType.JSON)), Tuple.of(4, Arbitraries.of(ContentType.class)));
        return Combinators.combine(methods, types, Arbitraries.of(Auth.class), noise(), Arbitraries.of(true, false))
                .as(Headers::new);
    }

    /**
     * Valid bodies with every variant of method, Content-Type and credential. The exact status is known; accepted
     * deliveries schedule only the jobs the credential may trigger; a delivery that was refused is accepted when
     * sent again correctly signed, and one that was accepted is a duplicate.
     */
    @Property(tries = 20_000, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.MIXIN)
    void headersMethodsAndCredentials(@ForAll Fixture fixture, @ForAll("headers") Headers h) {
        byte[] body = fixture.bytes;
        DeliverySettings settings = h.acceptUnsigned() ? UNSIGNED_OK : SIGNED_ONLY;
        DeliveryService svc = new DeliveryService(INDEX);
        DeliveryRequest.Builder b =
                DeliveryRequest.builder().method(h.method()).body(body).remoteAddress("203.0.113.9");
        h.contentType().apply(b);
        h.auth().apply(b, body, h.noise());
        Outcome o = decide(svc, b.build(), settings);
        Statistics.label("status").collect(o.status());
        checkInvariants(o, h.auth(), h.acceptUnsigned(), false);

        int expected;
        Outcome.Kind kind = Outcome.Kind.REJECTED;
        if (h.method().equals("GET") || h.method().equals("HEAD")) {
            expected = 200;
            kind = Outcome.Kind.PROBE;
        } else if (!h.method().equals("POST")) {
            expected = 405;
        } else if (!h.contentType().valid) {
            expected = 415;
        } else {
            switch (h.auth().expect) {
                case MISSING -> {
                    expected = h.acceptUnsigned() ? 200 : 401;
                    kind = h.acceptUnsigned() ? Outcome.Kind.ACCEPTED : kind;
                }
                case INVALID, SCOPED -> expected = 403;
                case GLOBAL, TOKEN -> {
                    expected = 200;
                    kind = Outcome.Kind.ACCEPTED;
                }
                case JOB -> {
                    expected = 200;
                    kind = fixture.matchesOwnKeyJob() ? Outcome.Kind.ACCEPTED : Outcome.Kind.IGNORED;
                }
                default -> throw new AssertionError();
            }
        }
        assertEquals(expected, o.status(), () -> h + " -> " + o);
        assertEquals(kind, o.kind(), () -> h + " -> " + o);
        if (o.status() == 405 || o.kind() == Outcome.Kind.PROBE) {
            assertTrue(
                    svc.log().newestFirst().isEmpty()
                            && svc.log().refusedNewestFirst().isEmpty(),
                    "a non-POST is not logged");
            assertTrue(o.schedules().isEmpty());
        } else {
            // Refused before anything verified it (valid bodies here, so never 400): kept apart from deliveries.
            boolean anonymous =
                    o.status() == 401 || o.status() == 415 || (o.status() == 403 && h.auth().expect != Expect.SCOPED);
            List<DeliveryLog.Entry> where =
                    anonymous ? svc.log().refusedNewestFirst() : svc.log().newestFirst();
            assertEquals(1, where.size(), () -> h + " -> " + o + " logged in the wrong list");
            DeliveryLog.Entry entry = where.get(0);
            assertEquals(o.status(), entry.status());
            assertFalse(entry.reason().contains(JOB_PREFIX)
                    || entry.verification().contains(TOKEN)
                    || entry.verification().contains(GLOBAL_KEY));
        }
        for (Schedule s : o.schedules()) {
            assertFalse(s.redactedPayload().contains(BASIC_AUTH_SECRET)
                    || s.redactedPayload().contains(VARIABLE_SECRET)
                    || s.redactedPayload().contains(LOG_MARKER));
            assertFalse(s.variables().values().stream().anyMatch(v -> v.contains(LOG_MARKER)));
        }
        Outcome again = decide(svc, signed(body), SIGNED_ONLY);
        if (o.kind() == Outcome.Kind.PROBE) {
            assertEquals(Outcome.Kind.ACCEPTED, again.kind(), () -> h + " marked the delivery: " + again);
        } else if (o.status() == 200) {
            // A duplicate when a key that verified the first copy also verifies this one: what another key (another
            // integration, a job's own key) or no key verified does not pre-empt it.
            boolean aKeyRemembers = !java.util.Collections.disjoint(
                    o.verification().orElseThrow().refs(),
                    again.verification().orElseThrow().refs());
            assertEquals(
                    aKeyRemembers ? Outcome.Kind.DUPLICATE : Outcome.Kind.ACCEPTED,
                    again.kind(),
                    () -> h + " then signed -> " + again);
        } else {
            assertEquals(Outcome.Kind.ACCEPTED, again.kind(), () -> h + " marked the delivery: " + again);
        }
    }

    /** Strings that have broken renderers, logs, shells and parsers. */
    static final List<String> NASTY_STRINGS = List.of(
            "Zoë 👩🏽‍💻 Exämple",
            "مرحبا بالعالم",
            "שלום עולם",
            "\u202Egnp.exe\u202C",
            "nul\u0000byte",
            "\ud800",
            "\udfff",
            "a\ud83d",
            "\ude00b",
            "\ud83d\ude00",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "&amp;&lt;&#39;",
            "'; DROP TABLE builds; --",
            "${jndi:ldap://example.invalid/a}",
            "$(rm -rf /)",
            "`id`",
            "%0d%0aSet-Cookie: x=1",
            "line1\nline2\r\nline3\u2028line4\u2029line5\u0085line6",
            "\t\b\f\u001b[31mred\u001b[0m",
            "\uFEFF",
            "\uFFFF",
            "\uFFFE",
            "Z\u0337\u0322\u031b\u035aa\u0336l\u0335g\u0338o\u0337",
            "x".repeat(199) + "😀tail",
            "x".repeat(200),
            "x".repeat(201),
            "\u0000".repeat(300),
            "\\u0000",
            "\\",
            "\"",
            "",
            " ",
            "null",
            "main\n[Pipeline] sh\n+ rm -rf /",
            "refs/heads/<b>main</b>",
            "\u00a0\u2003\u3000",
            "\u0130\u0131\u017f",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "🏳️‍🌈🇺🇳",
            "\u0085\u008d\u009f");

    static final List<String> ACTIVITY_TEXT_FIELDS = List.of(
            "payload.user.display_name",
            "parameters.environment",
            "payload.environment.name",
            "payload.environment.machine_name",
            "payload.commits.0.message",
            "payload.commits.0.author.name",
            "text",
            "description",
            "project",
            "state",
            "result",
            "id",
            "type",
            "payload.deployment.environment_info.reference",
            "_links.self.href",
            "parameters.from",
            "created_at",
            "payload.environment.head_commit",
            "ROUTE_KEY");

    static final List<String> HEALTH_TEXT_FIELDS = List.of(
            "event.message",
            "event.severity",
            "event.component",
            "event.subcomponent",
            "event.origin.environment",
            "event.origin.project",
            "event.origin.service",
            "project.id",
            "event.time");

    /** The text fields whose value identifies: past its bound, the delivery is refused with 400 (issue 21). */
    static final Map<String, Integer> IDENTIFYING_BOUNDS = Map.ofEntries(
            Map.entry("parameters.environment", FieldBounds.ENVIRONMENT),
            Map.entry("payload.environment.name", FieldBounds.ENVIRONMENT),
            Map.entry("payload.environment.machine_name", FieldBounds.ENVIRONMENT),
            Map.entry("project", FieldBounds.PROJECT),
            Map.entry("state", FieldBounds.STATE),
            Map.entry("result", FieldBounds.RESULT),
            Map.entry("id", FieldBounds.ID),
            Map.entry("type", FieldBounds.TYPE),
            Map.entry("payload.deployment.environment_info.reference", FieldBounds.GIT_REF),
            Map.entry("parameters.from", FieldBounds.ENVIRONMENT),
            Map.entry("created_at", FieldBounds.TIME),
            Map.entry("event.severity", FieldBounds.HEALTH_FIELD),
            Map.entry("event.component", FieldBounds.HEALTH_FIELD),
            Map.entry("event.subcomponent", FieldBounds.HEALTH_FIELD),
            Map.entry("event.origin.environment", FieldBounds.ENVIRONMENT),
            Map.entry("event.origin.project", FieldBounds.PROJECT),
            Map.entry("event.origin.service", FieldBounds.HEALTH_FIELD),
            Map.entry("project.id", FieldBounds.PROJECT),
            Map.entry("event.time", FieldBounds.TIME));

    /** The display text fields: past its bound, the value is cut with {@link Clip#MARKER} (issue 21). */
    static final Map<String, Integer> DISPLAY_BOUNDS = Map.of(
            "payload.user.display_name", FieldBounds.USER_NAME,
            "payload.commits.0.message", FieldBounds.COMMIT_MESSAGE,
            "payload.commits.0.author.name", FieldBounds.USER_NAME,
            "text", FieldBounds.TEXT,
            "description", FieldBounds.DESCRIPTION,
            "_links.self.href", FieldBounds.URL,
            "ROUTE_KEY", FieldBounds.URL,
            "event.message", FieldBounds.HEALTH_MESSAGE);

    record Injection(Fixture fixture, String field, String value, boolean escapeNonAscii) {
        byte[] bytes() {
            String literal = jsonString(value, escapeNonAscii);
            if (field.equals("ROUTE_KEY")) {
                String text = fixture.text.replace(jsonString(ROUTE_URL) + ":", literal + ":");
                return text.getBytes(StandardCharsets.UTF_8);
            }
            return withRawValue(fixture, field, literal);
        }

        @Override
        public String toString() {
            String shown = value.length() > 60 ? value.substring(0, 60) + "...(" + value.length() + " chars)" : value;
            return fixture + " " + field + " = " + jsonString(shown, true) + (escapeNonAscii ? " (escaped)" : "");
        }
    }

    @Provide
    Arbitrary<Injection> injections() {
        Arbitrary<String> values = Arbitraries.frequencyOf(
                Tuple.of(1000, Arbitraries.of(NASTY_STRINGS)),
                Tuple.of(600, Arbitraries.strings().all().ofMinLength(0).ofMaxLength(40)),
                Tuple.of(
                        300,
                        Arbitraries.strings()
                                .withCharRange('\u0000', '\u00ff')
                                .ofMinLength(0)
                                .ofMaxLength(300)),
                Tuple.of(
                        20,
                        Arbitraries.integers()
                                .between(1_000, 10_000)
                                .map(n -> "<i>" + "\u00e9\ud83d\ude00".repeat(n / 3))),
                Tuple.of(
                        1,
                        Arbitraries.integers()
                                .between(100_000, 300_000)
                                .map(n -> "<b>" + "\u00e9\ud83d\ude00".repeat(n / 3) + "</b>")));
        Arbitrary<Fixture> fixtures = Arbitraries.of(Fixture.class);
        return fixtures.flatMap(f -> Combinators.combine(
                        Arbitraries.of(
                                f.health
                                        ? HEALTH_TEXT_FIELDS
                                        : f == Fixture.PUSH_2022
                                                ? ACTIVITY_TEXT_FIELDS
                                                : ACTIVITY_TEXT_FIELDS.subList(0, ACTIVITY_TEXT_FIELDS.size() - 1)),
                        values,
                        Arbitraries.of(false, false, true))
                .as((field, v, esc) -> new Injection(f, field, v, esc)));
    }

    /**
     * Unicode (emoji, RTL, NUL, escaped lone surrogates), HTML, shell and template text, control characters and huge
     * strings in every text field the plugin reads. The delivery is accepted, unless an identifying value is over its
     * bound (400, naming the bound); values within their bounds reach the variables verbatim, display text past its
     * bound cut with the marker; the cause is one escaped line; the stored payload is still JSON and holds no secret.
     */
    @Property(tries = 15_000, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.MIXIN)
    void nastyTextInEveryField(@ForAll("injections") Injection inj) {
        byte[] body = inj.bytes();
        DeliveryService svc = new DeliveryService(INDEX);
        Outcome o = decide(svc, signed(body), SIGNED_ONLY);
        Statistics.label("status").collect(o.status());
        checkInvariants(o, Auth.GLOBAL_SIG, false, false);
        boolean required = inj.field().equals("id") || inj.field().equals("type");
        if (required && inj.value().isEmpty()) {
            assertEquals(400, o.status(), () -> inj + " -> " + o);
            return;
        }
        // A route URL is a field name, and Jackson's default maxNameLength (50,000) refuses a longer one as oversized
        // (counted on the input, escapes included): a fine answer for a URL of that size.
        if (inj.field().equals("ROUTE_KEY")
                && o.status() == 400
                && jsonString(inj.value(), inj.escapeNonAscii()).getBytes(StandardCharsets.UTF_8).length > 50_000) {
            assertTrue(o.body().contains("oversized"), o::toString);
            return;
        }
        Integer identifying = IDENTIFYING_BOUNDS.get(inj.field());
        if (identifying != null && inj.value().length() > identifying) {
            assertEquals(400, o.status(), () -> inj + " -> " + o);
            assertTrue(o.body().endsWith("is longer than " + identifying + " characters"), o::body);
            return;
        }
        assertEquals(200, o.status(), () -> inj + " -> " + o);
        assertEquals(Outcome.Kind.ACCEPTED, o.kind(), () -> inj + " -> " + o);
        Schedule s = o.schedules().get(0);
        Activity a = s.activity();
        Map<String, String> vars = s.variables();
        // Within its bound a value is verbatim; display text past it is cut, with the marker.
        Integer display = DISPLAY_BOUNDS.get(inj.field());
        String v = display == null ? inj.value() : Clip.to(inj.value(), display);
        switch (inj.field()) {
            case "payload.user.display_name" -> {
                assertEquals(v, a.userName());
                assertEquals(v, vars.get(Variables.USER));
                if (v.length() <= 200
                        && v.chars().noneMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
                    assertTrue(
                            s.causeText().endsWith(" by " + v),
                            () -> "cause keeps the name verbatim: " + s.causeText());
                }
            }
            case "payload.commits.0.message" -> {
                if (inj.fixture().text.contains("\"commits\"")) { // else the commit has no sha and is dropped
                    assertEquals(v, vars.get(Variables.COMMIT_MESSAGE));
                }
            }
            case "payload.commits.0.author.name" -> {
                if (inj.fixture().text.contains("\"commits\"")) {
                    assertEquals(v, vars.get(Variables.COMMIT_AUTHOR));
                }
            }
            case "text" -> assertEquals(v, vars.get(Variables.TEXT));
            case "description" -> assertEquals(v, a.description());
            case "project" -> assertEquals(v, vars.get(Variables.PROJECT));
            case "state" -> assertEquals(v, vars.get(Variables.STATE));
            case "result" -> assertEquals(v, vars.get(Variables.RESULT));
            case "id" -> assertEquals(v, vars.get(Variables.ACTIVITY_ID));
            case "type" -> assertEquals(v, vars.get(Variables.EVENT));
            case "_links.self.href" -> assertEquals(v, vars.get(Variables.ACTIVITY_URL));
            case "payload.deployment.environment_info.reference" -> assertEquals(v, vars.get(Variables.GIT_REF));
            case "payload.environment.machine_name" -> assertEquals(v, vars.get(Variables.MACHINE_NAME));
            case "ROUTE_KEY" -> assertEquals(v, vars.get(Variables.URL));
            case "event.message" -> assertEquals(v, vars.get(Variables.HEALTH_MESSAGE));
            case "event.severity" -> assertEquals(v, vars.get(Variables.HEALTH_SEVERITY));
            case "event.origin.service" -> assertEquals(v, vars.get(Variables.HEALTH_SERVICE));
            default -> {}
        }
        assertTrue(isJson(s.redactedPayload()), "the stored payload is JSON");
        assertFalse(s.redactedPayload().contains(BASIC_AUTH_SECRET)
                || s.redactedPayload().contains(VARIABLE_SECRET)
                || s.redactedPayload().contains(LOG_MARKER));
    }

    /**
     * Dry runs (an administrator pasting a payload) of mutated bodies with any credential, with and without
     * skipping verification: same invariants, repeatable, nothing recorded, nothing marked as seen.
     */
    @Property(tries = 15_000, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.MIXIN)
    void dryRunsNeverMarkOrRecord(
            @ForAll("mutatedBodies") MutatedBody mutated,
            @ForAll("auths") Auth auth,
            @ForAll("noise") String noise,
            @ForAll boolean skipVerification,
            @ForAll boolean acceptUnsigned,
            @ForAll boolean pristine) {
        byte[] body = pristine ? mutated.fixture().bytes : mutated.bytes();
        DeliverySettings settings = acceptUnsigned ? UNSIGNED_OK : SIGNED_ONLY;
        setAsideScopedKeyWithoutProject(body, auth, skipVerification);
        DeliveryService svc = new DeliveryService(INDEX);
        DeliveryRequest.Builder b = post(body);
        auth.apply(b, body, noise);
        Outcome o = dryRun(svc, b.build(), settings, skipVerification);
        Statistics.label("status").collect(o.status());
        assertTrue(o.dryRun());
        assertEquals("", o.deliveryId());
        checkInvariants(o, auth, acceptUnsigned, skipVerification);
        if (skipVerification) {
            assertTrue(o.status() == 200 || o.status() == 400, () -> "trusted dry run " + o);
        } else {
            checkStatusForAuth(o, auth, acceptUnsigned);
        }
        if (pristine && skipVerification) {
            assertEquals(200, o.status(), () -> "a documented shape, trusted: " + o);
        }
        DeliveryRequest.Builder b2 = post(body);
        auth.apply(b2, body, noise);
        Outcome o2 = dryRun(svc, b2.build(), settings, skipVerification);
        assertEquals(o.status(), o2.status(), "a dry run is repeatable");
        assertEquals(o.kind(), o2.kind(), "a dry run is repeatable");
        assertTrue(svc.log().newestFirst().isEmpty(), "a dry run is not recorded");
        assertTrue(svc.log().counters().isEmpty(), "a dry run is not counted");
        Outcome real = assertNotMarked(svc, body);
        // Once really accepted, a dry run reports it as a duplicate.
        if (real.status() == 200) {
            assertEquals(
                    Outcome.Kind.DUPLICATE,
                    dryRun(svc, signed(body), SIGNED_ONLY, false).kind());
        }
    }

    /** How queuing the builds of an accepted delivery went, as the adapter reports it back. */
    enum Queuing {
        QUEUED,
        SKIPPED,
        FAILED,
        FIRST_QUEUED_REST_FAILED,
        FIRST_SKIPPED_REST_FAILED,
        FIRST_QUEUED_REST_SKIPPED,
        NOTHING_REPORTED;

        Map<String, ScheduleResult> results(List<Schedule> schedules) {
            Map<String, ScheduleResult> out = new java.util.LinkedHashMap<>();
            boolean first = true;
            for (Schedule s : schedules) {
                ScheduleResult r =
                        switch (this) {
                            case QUEUED -> ScheduleResult.queued();
                            case SKIPPED -> ScheduleResult.skipped("disabled");
                            case FAILED -> ScheduleResult.failed("queue refused");
                            case FIRST_QUEUED_REST_FAILED ->
                                first ? ScheduleResult.queued() : ScheduleResult.failed("x");
                            case FIRST_SKIPPED_REST_FAILED ->
                                first ? ScheduleResult.skipped("x") : ScheduleResult.failed("x");
                            case FIRST_QUEUED_REST_SKIPPED ->
                                first ? ScheduleResult.queued() : ScheduleResult.skipped("x");
                            case NOTHING_REPORTED -> null;
                        };
                if (r != null) {
                    out.put(s.targetId(), r);
                }
                first = false;
            }
            return out;
        }
    }

    record Step(String state, boolean verified, Queuing queuing) {}

    private static final Map<String, byte[]> WITH_STATE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The fixture with this state (null: a JSON null); few distinct ones, so made once each. */
    static byte[] withState(Fixture fixture, String state) {
        return WITH_STATE.computeIfAbsent(
                fixture + "\u0001" + state,
                k -> withRawValue(fixture, "state", state == null ? "null" : jsonString(state)));
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> states = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(EventTypes.STATES)),
                Tuple.of(1, Arbitraries.of("", "COMPLETE", "complete ", "\u0000", "x|y")),
                Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<Queuing> queuing = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Queuing.QUEUED)), Tuple.of(4, Arbitraries.of(Queuing.class)));
        Arbitrary<Step> step = Combinators.combine(
                        states, Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)), queuing)
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(8);
    }

    /**
     * The same activity delivered once per state, repeated, interleaved with unverified copies and with queuing that
     * fails or is skipped: each (id, state) is accepted exactly once, unless no build was queued and one failed (503,
     * forgotten, so the retry is accepted again); if every build was skipped it is answered ignored and stays seen;
     * unverified copies change nothing.
     */
    @Property(tries = 20_000, generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.MIXIN)
    void oneBuildPerActivityAndState(
            @ForAll Fixture fixture,
            @ForAll("steps") List<Step> steps,
            @ForAll("auths") Auth wrongAuth,
            @ForAll("noise") String noise) {
        if (fixture.health) {
            fixture = Fixture.PUSH_2022;
        }
        DeliveryService svc = new DeliveryService(INDEX);
        Set<String> seen = new HashSet<>();
        for (Step step : steps) {
            byte[] body = withState(fixture, step.state());
            String key = step.state() == null ? "" : step.state();
            if (!step.verified()) {
                Auth bad = wrongAuth.expect == Expect.INVALID || wrongAuth.expect == Expect.MISSING
                        ? wrongAuth
                        : Auth.SIG_UNKNOWN_KEY;
                DeliveryRequest.Builder b = post(body);
                bad.apply(b, body, noise);
                Outcome o = decide(svc, b.build(), SIGNED_ONLY);
                checkInvariants(o, bad, false, false);
                assertTrue(o.status() == 401 || o.status() == 403, () -> bad + " " + o);
                continue;
            }
            Outcome o = decide(svc, signed(body), SIGNED_ONLY);
            checkInvariants(o, Auth.GLOBAL_SIG, false, false);
            Statistics.label("kind").collect(o.kind());
            if (seen.contains(key)) {
                assertEquals(Outcome.Kind.DUPLICATE, o.kind(), () -> "state " + key + " again: " + o);
                continue;
            }
            assertEquals(Outcome.Kind.ACCEPTED, o.kind(), () -> "state " + key + " first time: " + o);
            Map<String, ScheduleResult> results = step.queuing().results(o.schedules());
            boolean anyQueued = results.values().stream().anyMatch(r -> r.status() == ScheduleResult.Status.QUEUED);
            boolean anyFailed = results.size() < o.schedules().size()
                    || results.values().stream().anyMatch(r -> r.status() == ScheduleResult.Status.FAILED);
            Outcome after = svc.afterScheduling(o, results);
            Statistics.label("after scheduling").collect(after.kind());
            assertFalse(after.body().contains(JOB_PREFIX));
            if (anyQueued) {
                assertEquals(200, after.status());
                assertEquals(Outcome.Kind.ACCEPTED, after.kind());
                seen.add(key);
            } else if (anyFailed) {
                assertEquals(503, after.status(), () -> step + " " + after);
                assertEquals(Outcome.Kind.FAILED, after.kind());
            } else {
                assertEquals(200, after.status(), () -> step + " " + after);
                assertEquals(Outcome.Kind.IGNORED, after.kind());
                seen.add(key);
            }
            DeliveryLog.Entry entry = svc.log().get(o.deliveryId());
            assertNotNull(entry);
            assertEquals(after.status(), entry.status());
        }
    }

    /** Sanity of the test's own signer against the package's, so that the oracle above means something. */
    @net.jqwik.api.Example
    void ownSignerAgreesWithThePackage() {
        for (Fixture f : Fixture.values()) {
            assertEquals(
                    SignatureVerifier.sign(GLOBAL_KEY, f.bytes),
                    jws(b64u(PROTECTED), "HmacSHA256", keyBytes(GLOBAL_KEY), f.bytes));
            Outcome o = new DeliveryService(INDEX).decide(signed(f.bytes), SIGNED_ONLY, KEYS);
            assertEquals(Outcome.Kind.ACCEPTED, o.kind(), f + " " + o);
        }
        List<String> names = new ArrayList<>();
        INDEX.credentialsIds().forEach(names::add);
        assertEquals(List.of(JOB_KEY_ID, TOKEN_ID), names);
    }
}

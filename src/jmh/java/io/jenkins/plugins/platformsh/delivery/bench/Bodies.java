package io.jenkins.plugins.platformsh.delivery.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;

/**
 * The bodies the benchmarks deliver, built in code from the documented field shapes of a 2022 {@code environment.push}
 * activity (platformsh-docs, docs/src/integrations/activity/reference.md): same fields, nesting, value types and
 * formatting (two-space pretty printing), with this project's own placeholder values.
 *
 * <p>If the public sample is on the machine ({@code -Dbench.sample=PATH}, else
 * {@code ../shared/payloads/psh-docs-2022-environment.push.json} relative to the working directory), it is used as the
 * template instead; the report prints which one ran. Either way, each body of a pool differs from the others only by
 * its activity id (same length, so every body of a pool has the same size), and each is signed.
 */
public final class Bodies {

    /** The shared key every body is signed with (base64url of 32 fixed bytes). */
    public static final String SHARED_KEY = Base64.getUrlEncoder().withoutPadding()
            .encodeToString("platformsh-webhook-bench-key-32b".getBytes(StandardCharsets.US_ASCII));

    static final String PROJECT = "q7bench3x9k2m4p";
    static final String ENVIRONMENT = "main";
    static final String TEMPLATE_ID = "bnch0templ8id";

    /** Two megabytes: the size of the large body. */
    static final int LARGE_BYTES = 2 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A body and the X-JWS-Signature Platform.sh would send with it. */
    public record Signed(byte[] bytes, String signature) {}

    /** A template text and the activity id that occurs in it, to be replaced per body. */
    record Template(String text, String id, String source) {}

    private Bodies() {}

    /** The ~14 KB 2022 push: the public sample if present, else the generated one. */
    static Template push() {
        String configured = System.getProperty("bench.sample");
        Path sample = configured != null ? Paths.get(configured)
                : Paths.get("..", "shared", "payloads", "psh-docs-2022-environment.push.json");
        if (!"generated".equals(configured) && Files.isRegularFile(sample)) {
            try {
                String text = Files.readString(sample, StandardCharsets.UTF_8);
                String id = MAPPER.readTree(text).path("id").asText();
                if (!id.isEmpty()) {
                    return new Template(text, id, "sample " + sample.normalize());
                }
            } catch (IOException e) {
                // fall through to the generated body
            }
        }
        return new Template(generatedPush(), TEMPLATE_ID, "generated (Bodies.generatedPush)");
    }

    /** The same activity whose {@code log} is made huge, so that the whole body is {@value #LARGE_BYTES} bytes. */
    static Template large(Template push) {
        try {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(push.text());
            int withoutLog = pretty(withLog(tree, "")).getBytes(StandardCharsets.UTF_8).length;
            String log = buildLog(LARGE_BYTES - withoutLog);
            String text = pretty(withLog(tree, log));
            return new Template(text, push.id(), push.source() + ", log grown to " + log.length() + " chars");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode withLog(ObjectNode tree, String log) {
        ObjectNode copy = tree.deepCopy();
        copy.put("log", log);
        return copy;
    }

    /** Pool of {@code n} signed bodies with distinct activity ids of the template id's length. */
    static Signed[] pool(Template t, int n) {
        Signed[] out = new Signed[n];
        for (int i = 0; i < n; i++) {
            String id = distinctId(i, t.id().length());
            byte[] bytes = t.text().replace(t.id(), id).getBytes(StandardCharsets.UTF_8);
            out[i] = new Signed(bytes, SignatureVerifier.sign(SHARED_KEY, bytes));
        }
        return out;
    }

    static String distinctId(int i, int length) {
        String n = Integer.toString(i, 36);
        StringBuilder sb = new StringBuilder(length);
        sb.append('z');
        while (sb.length() + n.length() < length) {
            sb.append('0');
        }
        return sb.append(n).substring(0, length);
    }

    /**
     * A build-and-deploy log of about {@code bytes} bytes of JSON string: the kind of lines Platform.sh writes, with
     * the escapes a real log has (new lines, quotes, an occasional ANSI colour and a non-ASCII name).
     */
    static String buildLog(int bytes) {
        StringBuilder sb = new StringBuilder(bytes);
        int line = 0;
        while (true) {
            String l = switch (line % 8) {
                case 0 -> "Building application 'app' (runtime type: php:8.2, tree: 3f0c9a1)\n";
                case 1 -> "  Generating runtime configuration.\n";
                case 2 -> "  Executing build hook...\n    W: \"composer install\" step " + line + " of the build\n";
                case 3 -> "    \u001b[32mInstalling\u001b[39m vendor/package-" + (line % 97) + " (v1.2." + (line % 13) + ")\n";
                case 4 -> "    Downloaded " + (line * 31 % 9973) + " kB in 0." + (line % 10) + "s\n";
                case 5 -> "  Compressing application.\n  Beaming package to its final destination.\n";
                case 6 -> "  Redeploying environment main, commit by Zoë Müller\n";
                default -> "    Opening application app and its relationships\t[ok]\n";
            };
            // JSON-escaped length: \n, \t, \" take two bytes, \u001b six, ë and ü two in UTF-8
            int escaped = l.getBytes(StandardCharsets.UTF_8).length + count(l, '\n') + count(l, '\t') + count(l, '"')
                    + 5 * count(l, '\u001b');
            if (bytes - escaped < 0) {
                break;
            }
            bytes -= escaped;
            sb.append(l);
            line++;
        }
        while (bytes-- > 0) {
            sb.append('.');
        }
        return sb.toString();
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    static String pretty(Object tree) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.setPrettyPrinter(printer());
            MAPPER.writeTree(g, (com.fasterxml.jackson.databind.JsonNode) tree);
        }
        return out.toString() + "\n";
    }

    /** Two spaces, "key": value, one array item a line: the formatting of the documentation's samples. */
    private static DefaultPrettyPrinter printer() {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        pp.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        pp.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        return pp;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The generated 2022 environment.push, field by field as documented.

    static String generatedPush() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.setPrettyPrinter(printer());
            writePush(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString() + "\n";
    }

    private static final String USER = "5be1c0d2-7a4e-4f0b-9c3d-8e2f1a6b7c90";
    private static final String HEAD = "7d5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e";
    private static final String PREVIOUS = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    private static final String MACHINE = "main-bvk2x7a";
    private static final String HOST = MACHINE + "-" + PROJECT + ".eu-5.platformsh.site";

    private static void writePush(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", TEMPLATE_ID);
        g.writeObjectFieldStart("_links");
        g.writeObjectFieldStart("self");
        g.writeStringField("href", "https://eu-5.platform.sh/api/projects/" + PROJECT + "/activities/" + TEMPLATE_ID);
        g.writeEndObject();
        g.writeObjectFieldStart("log");
        g.writeStringField("href", "/api/projects/" + PROJECT + "/activities/" + TEMPLATE_ID + "/log");
        g.writeEndObject();
        g.writeEndObject();
        g.writeStringField("created_at", "2024-05-06T09:12:31.402871+00:00");
        g.writeNullField("updated_at");
        g.writeStringField("type", "environment.push");
        g.writeObjectFieldStart("parameters");
        g.writeStringField("user", USER);
        g.writeStringField("environment", ENVIRONMENT);
        g.writeStringField("old_commit", PREVIOUS);
        g.writeStringField("new_commit", HEAD);
        g.writeEndObject();
        g.writeStringField("project", PROJECT);
        g.writeArrayFieldStart("environments");
        g.writeString(ENVIRONMENT);
        g.writeEndArray();
        g.writeStringField("state", "complete");
        g.writeStringField("result", "success");
        g.writeStringField("started_at", "2024-05-06T09:12:31.598114+00:00");
        g.writeStringField("completed_at", "2024-05-06T09:13:24.007352+00:00");
        g.writeNumberField("completion_percent", 100);
        g.writeNullField("cancelled_at");
        g.writeObjectFieldStart("timings");
        g.writeNumberField("wait", 0);
        g.writeNumberField("parse_commits", 0.58);
        g.writeNumberField("build", 0.611);
        g.writeNumberField("deploy", 51.203);
        g.writeNumberField("execute", 52.377);
        g.writeEndObject();
        g.writeStringField("log", "Found 1 new commit\n\nBuilding application 'app' (runtime type: php:8.2, tree: 3f0c9a1)\n"
                + "  Reusing existing build for this tree ID\n\nProvisioning certificates\n  Certificates\n"
                + "  - certificate 7311502: expiring on 2024-08-01 10:00:00+00:00, covering {,www}." + HOST + "\n\n\n"
                + "Redeploying environment main\n  Preparing deployment\n  Closing service app\n"
                + "  Opening application app and its relationships\n  Executing deploy hook for application app\n"
                + "    deploy done\n\n  Opening environment\n  Environment configuration\n"
                + "    app (type: php:8.2, size: S, disk: 2048)\n\n  Environment routes\n"
                + "    http://" + HOST + "/ redirects to https://" + HOST + "/\n"
                + "    http://www." + HOST + "/ redirects to https://www." + HOST + "/\n"
                + "    https://" + HOST + "/ is served by application `app`\n"
                + "    https://www." + HOST + "/ redirects to https://" + HOST + "/\n");
        g.writeObjectFieldStart("payload");
        writeUser(g);
        writeEnvironment(g);
        writeCommits(g);
        g.writeNumberField("commits_count", 1);
        writeDeployment(g);
        g.writeEndObject();
        g.writeStringField("description", "<user data-id=\"" + USER + "\">Zoë Müller</user> pushed to "
                + "<environment data-id=\"main\">Main</environment>");
        g.writeStringField("text", "Zoë Müller pushed to Main");
        g.writeStringField("expires_at", "2025-05-06T09:12:31.402871+00:00");
        g.writeEndObject();
    }

    private static void writeUser(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("user");
        g.writeStringField("id", USER);
        g.writeStringField("created_at", "2024-05-06T09:11:58.114263+00:00");
        g.writeNullField("updated_at");
        g.writeStringField("display_name", "Zoë Müller");
        g.writeEndObject();
    }

    private static void writeEnvironment(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("environment");
        g.writeStringField("id", ENVIRONMENT);
        g.writeStringField("created_at", "2023-10-02T08:30:12.551204+00:00");
        g.writeStringField("updated_at", "2024-04-29T13:02:45.918330+00:00");
        g.writeStringField("name", ENVIRONMENT);
        g.writeStringField("machine_name", MACHINE);
        g.writeStringField("title", "Main");
        g.writeObjectFieldStart("attributes");
        g.writeEndObject();
        g.writeStringField("type", "production");
        g.writeNullField("parent");
        g.writeNullField("default_domain");
        g.writeBooleanField("clone_parent_on_create", true);
        g.writeStringField("deployment_target", "local");
        g.writeBooleanField("is_pr", false);
        g.writeStringField("status", "active");
        g.writeBooleanField("enable_smtp", true);
        g.writeBooleanField("restrict_robots", true);
        g.writeStringField("edge_hostname", HOST);
        g.writeObjectFieldStart("deployment_state");
        g.writeBooleanField("last_deployment_successful", true);
        g.writeStringField("last_deployment_at", "2024-04-29T13:02:45.918211+00:00");
        g.writeObjectFieldStart("crons");
        g.writeBooleanField("enabled", true);
        g.writeStringField("status", "sleeping");
        g.writeEndObject();
        g.writeEndObject();
        g.writeObjectFieldStart("resources_overrides");
        g.writeEndObject();
        g.writeStringField("last_active_at", "2024-05-05T17:44:03.220117+00:00");
        g.writeNullField("last_backup_at");
        g.writeStringField("project", PROJECT);
        g.writeBooleanField("is_main", true);
        g.writeBooleanField("is_dirty", false);
        g.writeBooleanField("has_code", true);
        g.writeStringField("head_commit", PREVIOUS);
        g.writeObjectFieldStart("merge_info");
        g.writeNumberField("commits_ahead", 0);
        g.writeNumberField("commits_behind", 0);
        g.writeNullField("parent_ref");
        g.writeEndObject();
        g.writeBooleanField("has_deployment", true);
        g.writeEndObject();
    }

    private static void writeCommits(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("commits");
        g.writeStartObject();
        g.writeStringField("sha", HEAD);
        g.writeObjectFieldStart("author");
        g.writeStringField("email", "zoe.muller@example.org");
        g.writeStringField("name", "Zoë Müller");
        g.writeNumberField("date", 1714986722);
        g.writeEndObject();
        g.writeArrayFieldStart("parents");
        g.writeString(PREVIOUS);
        g.writeEndArray();
        g.writeStringField("message", "Tune the deploy hook");
        g.writeEndObject();
        g.writeEndArray();
    }

    private static void writeDeployment(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("deployment");
        g.writeStringField("id", "current");
        g.writeStringField("created_at", "2023-10-02T08:30:40.008127+00:00");
        g.writeStringField("updated_at", "2024-05-06T09:13:23.611905+00:00");
        g.writeStringField("cluster_name", PROJECT + "-" + MACHINE);
        g.writeObjectFieldStart("project_info");
        g.writeStringField("name", PROJECT);
        writeSettings(g);
        g.writeEndObject();
        g.writeObjectFieldStart("environment_info");
        g.writeStringField("name", ENVIRONMENT);
        g.writeBooleanField("is_main", true);
        g.writeBooleanField("is_production", false);
        g.writeStringField("reference", "refs/heads/" + ENVIRONMENT);
        g.writeStringField("machine_name", MACHINE);
        g.writeStringField("environment_type", "production");
        g.writeEndObject();
        g.writeStringField("deployment_target", "local");
        g.writeNullField("vpn");
        g.writeObjectFieldStart("http_access");
        g.writeBooleanField("is_enabled", true);
        g.writeArrayFieldStart("addresses");
        g.writeEndArray();
        g.writeObjectFieldStart("basic_auth");
        g.writeEndObject();
        g.writeEndObject();
        g.writeBooleanField("enable_smtp", true);
        g.writeBooleanField("restrict_robots", true);
        g.writeArrayFieldStart("variables");
        g.writeStartObject();
        g.writeStringField("name", "php:memory_limit");
        g.writeStringField("value", "256M");
        g.writeBooleanField("is_sensitive", false);
        g.writeEndObject();
        g.writeEndArray();
        g.writeArrayFieldStart("access");
        g.writeStartObject();
        g.writeStringField("entity_id", USER);
        g.writeStringField("role", "admin");
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("subscription");
        g.writeStringField("license_uri", "https://accounts.platform.sh/api/v1/licenses/87654321");
        g.writeStringField("plan", "development");
        g.writeNumberField("environments", 3);
        g.writeNumberField("storage", 5120);
        g.writeNumberField("included_users", 1);
        g.writeStringField("subscription_management_uri",
                "https://console.platform.sh/-/users/wxyz98765/billing/plan/87654321");
        g.writeBooleanField("restricted", false);
        g.writeBooleanField("suspended", false);
        g.writeNumberField("user_licenses", 1);
        g.writeEndObject();
        g.writeObjectFieldStart("services");
        g.writeEndObject();
        writeRoutes(g);
        writeWebapps(g);
        g.writeObjectFieldStart("workers");
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeSettings(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("settings");
        g.writeObjectFieldStart("initialize");
        g.writeObjectFieldStart("values");
        g.writeBooleanField("initialize", true);
        g.writeBooleanField("start", false);
        g.writeObjectFieldStart("base");
        g.writeArrayFieldStart("files");
        g.writeEndArray();
        g.writeStringField("profile", "PHP");
        g.writeNullField("config");
        g.writeStringField("repository", "https://github.com/platformsh-templates/php.git@master");
        g.writeStringField("title", "PHP");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        g.writeStringField("product_name", "Platform.sh");
        g.writeStringField("product_code", "platformsh");
        g.writeStringField("variables_prefix", "PLATFORM_");
        g.writeStringField("bot_email", "bot@platform.sh");
        g.writeStringField("application_config_file", ".platform.app.yaml");
        g.writeStringField("project_config_dir", ".platform");
        g.writeBooleanField("use_drupal_defaults", false);
        g.writeBooleanField("use_legacy_subdomains", false);
        g.writeStringField("development_service_size", "S");
        g.writeStringField("development_application_size", "S");
        g.writeBooleanField("enable_certificate_provisioning", true);
        g.writeStringField("certificate_style", "ecdsa");
        g.writeBooleanField("certificate_renewal_activity", true);
        g.writeNullField("development_domain_template");
        g.writeBooleanField("enable_state_api_deployments", true);
        g.writeNullField("temporary_disk_size");
        g.writeNumberField("cron_minimum_interval", 5);
        g.writeNumberField("cron_maximum_jitter", 20);
        g.writeObjectFieldStart("concurrency_limits");
        g.writeNullField("internal");
        g.writeNumberField("integration", 4);
        g.writeNumberField("backup", 2);
        g.writeNumberField("cron", 10);
        g.writeNumberField("default", 2);
        g.writeEndObject();
        g.writeBooleanField("flexible_build_cache", false);
        g.writeBooleanField("strict_configuration", true);
        g.writeBooleanField("has_sleepy_crons", true);
        g.writeBooleanField("crons_in_git", true);
        g.writeNullField("custom_error_template");
        g.writeNullField("app_error_page_template");
        g.writeStringField("environment_name_strategy", "name-and-hash");
        g.writeNullField("data_retention");
        g.writeBooleanField("enable_codesource_integration_push", true);
        g.writeBooleanField("enforce_mfa", false);
        g.writeBooleanField("systemd", true);
        g.writeBooleanField("router_gen2", false);
        g.writeObjectFieldStart("chorus");
        g.writeBooleanField("enabled", true);
        g.writeBooleanField("exposed", true);
        g.writeEndObject();
        g.writeObjectFieldStart("build_resources");
        g.writeNumberField("cpu", 1);
        g.writeNumberField("memory", 2048);
        g.writeEndObject();
        g.writeStringField("outbound_restrictions_default_policy", "allow");
        g.writeBooleanField("self_upgrade", true);
        g.writeObjectFieldStart("additional_hosts");
        g.writeEndObject();
        g.writeNumberField("max_allowed_routes", 50000);
        g.writeNumberField("max_allowed_redirects_paths", 50000);
        g.writeBooleanField("enable_incremental_backups", true);
        g.writeBooleanField("sizing_api_enabled", false);
        g.writeBooleanField("enable_cache_grace_period", true);
        g.writeBooleanField("enable_zero_downtime_deployments", false);
        g.writeBooleanField("enable_admin_agent", true);
        g.writeStringField("certifier_url", "https://ssh.api.platform.sh");
        g.writeBooleanField("centralized_permissions", false);
        g.writeNumberField("glue_server_max_request_size", 10);
        g.writeEndObject();
    }

    private static void writeRoutes(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("routes");
        route(g, "https://" + HOST + "/", true, "https://{default}/", null);
        route(g, "https://www." + HOST + "/", false, "https://www.{default}/", "https://" + HOST + "/");
        route(g, "http://" + HOST + "/", false, "http://{default}/", "https://" + HOST + "/");
        route(g, "http://www." + HOST + "/", false, "http://www.{default}/", "https://www." + HOST + "/");
        g.writeEndObject();
    }

    /** An upstream route when {@code to} is null, else a redirect. */
    private static void route(JsonGenerator g, String url, boolean primary, String original, String to)
            throws IOException {
        g.writeObjectFieldStart(url);
        g.writeBooleanField("primary", primary);
        g.writeNullField("id");
        g.writeStringField("production_url", url);
        g.writeObjectFieldStart("attributes");
        g.writeEndObject();
        g.writeStringField("type", to == null ? "upstream" : "redirect");
        g.writeObjectFieldStart("tls");
        g.writeObjectFieldStart("strict_transport_security");
        g.writeNullField("enabled");
        g.writeNullField("include_subdomains");
        g.writeNullField("preload");
        g.writeEndObject();
        g.writeNullField("min_version");
        g.writeNullField("client_authentication");
        g.writeArrayFieldStart("client_certificate_authorities");
        g.writeEndArray();
        g.writeEndObject();
        g.writeStringField("original_url", original);
        g.writeBooleanField("restrict_robots", true);
        if (to == null) {
            g.writeObjectFieldStart("cache");
            g.writeBooleanField("enabled", true);
            g.writeNumberField("default_ttl", 0);
            g.writeArrayFieldStart("cookies");
            g.writeString("*");
            g.writeEndArray();
            g.writeArrayFieldStart("headers");
            g.writeString("Accept");
            g.writeString("Accept-Language");
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("ssi");
            g.writeBooleanField("enabled", false);
            g.writeEndObject();
            g.writeStringField("upstream", "app:http");
        } else {
            g.writeStringField("to", to);
        }
        g.writeObjectFieldStart("redirects");
        g.writeStringField("expires", "-1s");
        g.writeObjectFieldStart("paths");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeWebapps(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("webapps");
        g.writeObjectFieldStart("app");
        g.writeNullField("resources");
        g.writeStringField("size", "AUTO");
        g.writeNumberField("disk", 2048);
        g.writeObjectFieldStart("access");
        g.writeStringField("ssh", "contributor");
        g.writeEndObject();
        g.writeObjectFieldStart("relationships");
        g.writeEndObject();
        g.writeObjectFieldStart("additional_hosts");
        g.writeEndObject();
        g.writeObjectFieldStart("mounts");
        g.writeObjectFieldStart("/web/uploads");
        g.writeStringField("source", "local");
        g.writeStringField("source_path", "uploads");
        g.writeEndObject();
        g.writeObjectFieldStart("/private");
        g.writeStringField("source", "local");
        g.writeStringField("source_path", "private");
        g.writeEndObject();
        g.writeEndObject();
        g.writeNullField("timezone");
        g.writeObjectFieldStart("variables");
        g.writeEndObject();
        g.writeNullField("firewall");
        g.writeNullField("initial_size");
        g.writeNullField("container_profile");
        g.writeNullField("instance_count");
        g.writeStringField("name", "app");
        g.writeStringField("type", "php:8.2");
        g.writeObjectFieldStart("runtime");
        g.writeEndObject();
        g.writeObjectFieldStart("preflight");
        g.writeBooleanField("enabled", true);
        g.writeArrayFieldStart("ignored_rules");
        g.writeEndArray();
        g.writeEndObject();
        g.writeStringField("tree_id", "3f0c9a1e5d7b2c4a6f8e0d1c3b5a79e2d4f6a8c0");
        g.writeStringField("slug_id", PROJECT + "-app-3f0c9a1e5d7b2c4a6f8e0d1c3b5a79e2d4f6a8c0-8c0e");
        g.writeStringField("app_dir", "/app");
        g.writeObjectFieldStart("web");
        g.writeObjectFieldStart("locations");
        g.writeObjectFieldStart("/");
        g.writeStringField("root", "web");
        g.writeStringField("expires", "-1s");
        g.writeStringField("passthru", "/index.php");
        g.writeBooleanField("scripts", true);
        g.writeBooleanField("allow", true);
        g.writeObjectFieldStart("headers");
        g.writeEndObject();
        g.writeObjectFieldStart("rules");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        g.writeBooleanField("move_to_root", false);
        g.writeEndObject();
        g.writeObjectFieldStart("hooks");
        g.writeStringField("build", "set -e\n");
        g.writeStringField("deploy", "set -e\n");
        g.writeNullField("post_deploy");
        g.writeEndObject();
        g.writeObjectFieldStart("crons");
        g.writeObjectFieldStart("nightly");
        g.writeStringField("spec", "5 3 * * *");
        g.writeObjectFieldStart("commands");
        g.writeStringField("start", "php bin/console app:nightly --no-interaction && date");
        g.writeNullField("stop");
        g.writeEndObject();
        g.writeNullField("shutdown_timeout");
        g.writeNumberField("timeout", 86400);
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }
}

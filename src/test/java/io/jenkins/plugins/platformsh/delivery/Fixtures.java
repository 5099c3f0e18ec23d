package io.jenkins.plugins.platformsh.delivery;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.activity.MalformedDeliveryException;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** Test fixtures: our own payloads written from the documented shapes, and signed requests for them. */
public final class Fixtures {

    /** A shared key as Platform.sh users type it; base64url text. */
    public static final String KEY = "c2VjcmV0LWtleS1mb3ItdGVzdHM";

    private Fixtures() {}

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    public static Activity parse(String name) throws MalformedDeliveryException {
        return ActivityParser.parse(bytes(name));
    }

    public static DeliveryRequest signed(byte[] body) {
        return signed(body, KEY);
    }

    public static DeliveryRequest signed(byte[] body, String key) {
        return DeliveryRequest.builder()
                .method("POST")
                .header("Content-Type", "application/json")
                .header(SignatureVerifier.SIGNATURE_HEADER, SignatureVerifier.sign(key, body))
                .body(body)
                .build();
    }

    public static DeliveryRequest unsigned(byte[] body) {
        return DeliveryRequest.builder()
                .method("POST")
                .header("Content-Type", "application/json")
                .body(body)
                .build();
    }

    public static List<VerificationKey> globalKey() {
        return List.of(VerificationKey.sharedKey("global-key", KEY, true));
    }

    /** The folder of public samples beside the repository, or null when this checkout has none. */
    static Path samples() {
        String configured = System.getProperty("platformsh.samples");
        Path p = configured != null ? Paths.get(configured) : Paths.get("..", "shared", "payloads");
        return Files.isDirectory(p) ? p : null;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

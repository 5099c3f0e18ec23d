package io.jenkins.plugins.platformsh.delivery.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.text.SecretsInText;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Secrets inside text: URL credentials and secret query parameters go, everything else stays. */
class SecretsInTextTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                // text | expected
                "https://user:pass@example.com/x|https://<redacted>@example.com/x",
                "https://ghp_abc123@github.com/org/repo.git|https://<redacted>@github.com/org/repo.git",
                "redis://:s3cr3t@redis.internal:6379/0|redis://<redacted>@redis.internal:6379/0",
                "mysql://u:p@ss@db:3306|mysql://<redacted>@db:3306",
                "see <a href=\"https://a:b@h/\">here</a>, or mail me at jane@example.com|see <a href=\"https://<redacted>@h/\">here</a>, or mail me at jane@example.com",
                "HTTPS://U:P@H|HTTPS://<redacted>@H",
                "x https://h/?token=abc&page=2#top|x https://h/?token=<redacted>&page=2#top",
                "https://h/?a=1&KEY=k1&secret=s1|https://h/?a=1&KEY=<redacted>&secret=<redacted>",
                // A value runs to & or #: a ; inside it may be part of the secret, so what follows goes with it.
                "https://h/?a=1;password=p1;x=2&y=3|https://h/?a=1;password=<redacted>&y=3",
                "https://h/?access_token=t&api_key=k&client_secret=c&apikey=a&sig=g|https://h/?access_token=<redacted>&api_key=<redacted>&client_secret=<redacted>&apikey=<redacted>&sig=<redacted>",
                "https://h/cb#access_token=t&state=s|https://h/cb#access_token=<redacted>&state=s",
                "https://h/?a=1&amp;token=abc|https://h/?a=1&amp;token=<redacted>",
                "https://u:p@h/?token=t|https://<redacted>@h/?token=<redacted>",
                "curl 'https://jenkins/platformsh-webhook/?token=abc' -d @body.json|curl 'https://jenkins/platformsh-webhook/?token=<redacted>' -d @body.json",
                // An Authorization header written out: its scheme stays, its credentials go.
                "curl -H 'Authorization: Basic dXNlcjpwYXNz' https://h/|curl -H 'Authorization: Basic <redacted>' https://h/",
                "authorization:Bearer abc.def-1_2/3+4=|authorization:Bearer <redacted>",
                "\"Authorization\": \"token ghp_x1\"|\"Authorization\": \"token <redacted>\"",
                "AUTHORIZATION: s3cr3t, then prose|AUTHORIZATION: <redacted>, then prose",
            })
    void secretsGo(String text, String expected) {
        assertEquals(expected, SecretsInText.redact(text));
        assertEquals(expected, SecretsInText.redact(expected), "redacting twice changes nothing more");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "jane@example.com",
                "git@github.com:org/repo.git",
                "healthproj01@git.example/healthproj01.git",
                "https://example.com/a@b",
                "https://example.com?x=a@b",
                "https://example.com#frag@x",
                "https://@example.com/",
                "https://example.com/ and later bob@example.com",
                "Merge @alice's branch: key=value is fine in prose",
                "monkey=3&donkey=4",
                "https://h/?monkey=3&keyboard=qwerty&tokens_used=12",
                "https://h/?token=&key=",
                "https://h/?token=<redacted>",
                "\u00e9\ud83d\ude80 <b>caf\u00e9</b> @ : // = ?",
                "a:b@c",
                "://x@y",
                "1234://x@y",
                "Authorization:",
                "Authorization: ",
                "authorization is needed",
                "Authorization: <redacted>",
            })
    void everythingElseStays(String text) {
        assertSame(text, SecretsInText.redact(text));
    }

    @Property
    void aPasswordInAUrlNeverSurvives(
            @ForAll("passwords") String password, @ForAll("prose") String before, @ForAll("prose") String after)
            throws Exception {
        String url = "https://deploy:" + password + "@db.example.com/path?x=1";
        String body = "{\"id\":\"a\",\"text\":" + MAPPER.writeValueAsString(before + url + after) + "}";
        String out = Redactor.redact(Fixtures.utf8(body));
        JsonNode n = MAPPER.readTree(out);
        String text = n.get("text").asText();
        assertFalse(text.contains(password), out);
        assertTrue(text.contains("https://<redacted>@db.example.com/path?x=1"), out);
    }

    @Property
    void aSecretParameterNeverSurvives(
            @ForAll("secretNames") String name, @ForAll("passwords") String value, @ForAll("prose") String after)
            throws Exception {
        String text = "https://h/hook?a=1&" + name + "=" + value + "&b=2" + after;
        String out = Redactor.redact(Fixtures.utf8("{\"url\":" + MAPPER.writeValueAsString(text) + "}"));
        String url = MAPPER.readTree(out).get("url").asText();
        assertFalse(url.contains(value), out);
        assertTrue(url.startsWith("https://h/hook?a=1&" + name + "=<redacted>&b=2"), out);
    }

    /** Text with neither {@code =} nor {@code ://} is copied byte for byte, escapes and all. */
    @Property
    void textWithoutAUrlOrParameterIsKeptAsSent(@ForAll("prose") String text) {
        String literal = escapedEverywhere(text);
        String body = "{\"id\":\"a\",\"t\":" + literal + "}";
        assertEquals(body, Redactor.redact(Fixtures.utf8(body)));
    }

    /** A JSON literal of {@code text} that escapes what it may: {@code \\u0040} for {@code @}, {@code \\/} for {@code /}. */
    static String escapedEverywhere(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '@' -> b.append("\\u0040");
                case '/' -> b.append("\\/");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Provide
    Arbitrary<String> passwords() {
        // Characters a password may hold in a URL written by hand, unicode included; no URL or text terminator.
        // "Pw" makes it a text that the surrounding prose (no P, no w) cannot contain by chance.
        return Arbitraries.strings()
                .withChars("abcXYZ019!$%()*+,-.:;=_~@\u00e9\u4e2d\ud83d")
                .ofMinLength(2)
                .ofMaxLength(40)
                .map(s -> "Pw" + s.replace("\ud83d", "\ud83d\ude80"));
    }

    @Provide
    Arbitrary<String> prose() {
        return Arbitraries.strings()
                .withChars(" qrs@<>\"'\\&?#:\u00fc\u0000\n\t\u2028/\ud83d")
                .ofMaxLength(30)
                .map(s -> s.replace("\ud83d", "\ud83d\ude80"))
                .filter(s -> !s.contains("://") && !s.contains("="));
    }

    @Provide
    Arbitrary<String> secretNames() {
        return Arbitraries.of(
                "token",
                "key",
                "secret",
                "password",
                "passwd",
                "access_token",
                "api_key",
                "apikey",
                "api-key",
                "auth_token",
                "client_secret",
                "private_token",
                "Token",
                "ACCESS_TOKEN",
                "sig",
                "signature");
    }
}

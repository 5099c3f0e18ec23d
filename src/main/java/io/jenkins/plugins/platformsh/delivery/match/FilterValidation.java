package io.jenkins.plugins.platformsh.delivery.match;

import io.jenkins.plugins.platformsh.delivery.activity.FieldBounds;
import io.jenkins.plugins.platformsh.delivery.text.Patterns;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks the text of each filter field, for the job form ({@code doCheck*}) and, through {@link TriggerSpec}, for
 * configuration as code and Pipeline. Errors are values that can never match anything sensible; warnings are values
 * that are legal but probably a mistake.
 */
public final class FilterValidation {

    private static final Pattern EVENT = Pattern.compile("[A-Za-z0-9_.*?-]{1,200}");
    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9_.*?-]{1,200}");
    /** The same bound a delivery's environment names have: a longer name could never match one. */
    private static final int MAX_NAME = FieldBounds.ENVIRONMENT;

    private static final Pattern COMMIT = Pattern.compile("[0-9A-Fa-f]{7,64}");

    private FilterValidation() {}

    public static Validation events(String text) {
        List<String> items = Patterns.split(text);
        if (items.isEmpty()) {
            return Validation.error(
                    "Name at least one event type, for example environment.push, or * for every event.");
        }
        StringBuilder unknown = new StringBuilder();
        for (String s : items) {
            if (!EVENT.matcher(s).matches()) {
                return Validation.error(
                        "'" + s
                                + "' is not an event type: use names such as environment.push or patterns such as environment.*");
            }
            if (!EventTypes.known(s)) {
                unknown.append(unknown.length() == 0 ? "" : ", ").append(s);
            }
        }
        if (unknown.length() > 0) {
            return Validation.warning("Not a known event type: " + unknown
                    + ". It will still match if Platform.sh sends it; check the spelling.");
        }
        return Validation.ok();
    }

    public static Validation states(String text) {
        List<String> items = Patterns.split(text);
        if (items.isEmpty()) {
            return Validation.error("Name at least one state, for example complete, or * for every state.");
        }
        for (String s : items) {
            if (!s.equals("*") && !EventTypes.STATES.contains(s)) {
                return Validation.error("'" + s + "' is not an activity state; use one of "
                        + String.join(", ", EventTypes.STATES) + " or *.");
            }
        }
        return Validation.ok();
    }

    public static Validation results(String text) {
        for (String s : Patterns.split(text)) {
            if (!s.equals("*") && !EventTypes.RESULTS.contains(s)) {
                return Validation.error(
                        "'" + s
                                + "' is not an activity result; use success, failure, none (not finished), or leave empty for any.");
            }
        }
        return Validation.ok();
    }

    public static Validation projects(String text) {
        for (String s : Patterns.split(text)) {
            if (!PROJECT.matcher(s).matches()) {
                return Validation.error(
                        "'" + s + "' is not a project id: ids are letters and digits, such as abcdefgh1234567.");
            }
        }
        return Validation.ok();
    }

    public static Validation environments(String text) {
        for (String s : Patterns.split(text)) {
            if (s.length() > MAX_NAME) {
                return Validation.error("An environment name is at most " + MAX_NAME + " characters.");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isISOControl(c) || c == '"' || c == '\\') {
                    return Validation.error("'" + s.replaceAll("\\p{Cntrl}", "?") + "' is not an environment name.");
                }
            }
        }
        return Validation.ok();
    }

    /**
     * A commit to wait for: a full SHA (40 hex digits, or 64 for SHA-256 repositories) or an abbreviation of at least
     * 7, which matches any commit it starts.
     */
    public static Validation commit(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return Validation.error(
                    "The commit is empty: give a SHA, for example env.GIT_COMMIT (is it set in this build?).");
        }
        if (!COMMIT.matcher(t).matches()) {
            return Validation.error("'" + clip(t) + "' is not a commit SHA: 7 to 64 hexadecimal digits.");
        }
        if (t.length() < 40) {
            return Validation.warning("An abbreviated SHA matches any commit that starts with it.");
        }
        return Validation.ok();
    }

    private static String clip(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** @throws FilterException naming the field, when the verdict is an error */
    public static void require(String field, Validation v) {
        if (v.isError()) {
            throw new FilterException(field + ": " + v.message());
        }
    }
}

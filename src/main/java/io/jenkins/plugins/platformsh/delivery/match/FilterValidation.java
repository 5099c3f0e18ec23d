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
 *
 * <p>Each list is also capped in length ({@link #MAX_EVENTS} and the others): far more than a real filter needs, and
 * small enough that a list never costs the controller much. The caps are checked where a filter is configured (the
 * form, the trigger's setters, Pipeline, Job DSL, configuration as code, the wait step); a trigger saved with a longer
 * list before the caps existed still loads (see {@link TriggerSpec.Builder#uncapped()}), and the indexes stay small
 * whatever the lengths.
 */
public final class FilterValidation {

    private static final Pattern EVENT = Pattern.compile("[A-Za-z0-9_.*?-]{1,200}");
    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9_.*?-]{1,200}");
    /** The same bound a delivery's environment names have: a longer name could never match one. */
    private static final int MAX_NAME = FieldBounds.ENVIRONMENT;

    private static final Pattern COMMIT = Pattern.compile("[0-9A-Fa-f]{7,64}");

    /** The most event types (names or patterns) one filter lists. */
    public static final int MAX_EVENTS = 100;
    /** The most states, and the most results, one filter lists: there are only a few of each. */
    public static final int MAX_STATES = 20;

    public static final int MAX_RESULTS = 20;
    /** The most project ids (or patterns) one filter lists. */
    public static final int MAX_PROJECTS = 100;
    /** The most environment names (or patterns) one filter lists, and the most excluded ones. */
    public static final int MAX_ENVIRONMENTS = 200;

    private FilterValidation() {}

    public static Validation events(String text) {
        return events(text, true);
    }

    static Validation events(String text, boolean capped) {
        List<String> items = Patterns.split(text);
        if (capped && items.size() > MAX_EVENTS) {
            return tooMany(items, MAX_EVENTS, "event types", " Patterns such as environment.* cover many.");
        }
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
        return states(text, true);
    }

    static Validation states(String text, boolean capped) {
        List<String> items = Patterns.split(text);
        if (capped && items.size() > MAX_STATES) {
            return tooMany(items, MAX_STATES, "states", "");
        }
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
        return results(text, true);
    }

    static Validation results(String text, boolean capped) {
        List<String> items = Patterns.split(text);
        if (capped && items.size() > MAX_RESULTS) {
            return tooMany(items, MAX_RESULTS, "results", "");
        }
        for (String s : items) {
            if (!s.equals("*") && !EventTypes.RESULTS.contains(s)) {
                return Validation.error(
                        "'" + s
                                + "' is not an activity result; use success, failure, none (not finished), or leave empty for any.");
            }
        }
        return Validation.ok();
    }

    public static Validation projects(String text) {
        return projects(text, true);
    }

    /**
     * Each item a project id or pattern, without the cap on their number: for a key's list of projects, which the
     * administrator sets and no index multiplies.
     */
    public static Validation projectIds(String text) {
        return projects(text, false);
    }

    static Validation projects(String text, boolean capped) {
        List<String> items = Patterns.split(text);
        if (capped && items.size() > MAX_PROJECTS) {
            return tooMany(items, MAX_PROJECTS, "project ids", " Leave the field empty for any project.");
        }
        for (String s : items) {
            if (!PROJECT.matcher(s).matches()) {
                return Validation.error(
                        "'" + s + "' is not a project id: ids are letters and digits, such as abcdefgh1234567.");
            }
        }
        return Validation.ok();
    }

    /** Environments to listen to, or to exclude: the same rules. */
    public static Validation environments(String text) {
        return environments(text, true);
    }

    static Validation environments(String text, boolean capped) {
        List<String> items = Patterns.split(text);
        if (capped && items.size() > MAX_ENVIRONMENTS) {
            return tooMany(items, MAX_ENVIRONMENTS, "environment names", " Patterns such as pr-* cover many.");
        }
        for (String s : items) {
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

    private static Validation tooMany(List<String> items, int max, String what, String hint) {
        return Validation.error(
                "At most " + max + " " + what + " in one filter; this one lists " + items.size() + "." + hint);
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

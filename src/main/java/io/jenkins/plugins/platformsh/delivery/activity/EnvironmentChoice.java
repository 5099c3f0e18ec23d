package io.jenkins.plugins.platformsh.delivery.activity;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which one environment an activity is about, decided per event type, so that its name, machine name, type, parent
 * and deployment all describe that environment and never two different ones.
 *
 * <p>Some activities carry two environments: a branch (the new one and its parent), a merge ({@code from} and
 * {@code into}), a synchronization (the parent and the child it updates). The official PHP and JS clients describe
 * them as "branched {@code payload.outcome} from {@code payload.parent}", "merged {@code payload.outcome} into
 * {@code payload.environment}" and "synced {@code payload.outcome}'s code with {@code payload.environment}"; no
 * public sample shows these payloads whole. So an object of the payload describes the chosen environment only when
 * it names it; its data is left out otherwise, rather than taken from the other environment. docs/variables.md has
 * the table per event type.
 *
 * <p>The parser fills the fields; {@link #decide} reads them. Every field may be null.
 */
final class EnvironmentChoice {

    static final String BRANCH = "environment.branch";
    static final String ACTIVATE = "environment.activate";
    static final String MERGE = "environment.merge";
    static final String SYNCHRONIZE = "environment.synchronize";

    /** A machine name is the environment's name (made URL-safe), a dash and seven random characters. */
    private static final Pattern MACHINE_NAME = Pattern.compile("(.+)-[a-z0-9]{7}");

    /** What one object of the payload says about an environment; a plain string gives a name only. */
    record Described(String name, String machineName, String type, String parent) {
        static final Described NONE = new Described(null, null, null, null);

        /** An empty name names nothing; the other values stay verbatim. */
        Described {
            name = name == null || name.isEmpty() ? null : name;
        }

        boolean names(String environment) {
            return environment != null && environment.equals(name);
        }

        boolean isEmpty() {
            return name == null && machineName == null && type == null && parent == null;
        }
    }

    /** The environment the activity is about; null fields are unknown. */
    record Chosen(String name, String machineName, String type, String parent, boolean deploymentIsOfIt) {}

    String parametersEnvironment;
    String parametersParent;
    String from;
    String into;
    /** {@code payload.environment}. */
    Described environment = Described.NONE;
    /** {@code payload.outcome}: the resulting environment of a branch, merge or synchronization. */
    Described outcome = Described.NONE;
    /** {@code payload.parent}: the environment a branch was made from. */
    Described parent = Described.NONE;
    /** {@code payload.deployment.environment_info}: name and machine name only. */
    Described deployment = Described.NONE;

    final List<String> environments = new ArrayList<>();

    Chosen decide(String type) {
        return switch (type) {
            case BRANCH, ACTIVATE -> created(type);
            case MERGE -> chosen(type, first(into, environment.name(), firstOtherThan(from, listed())), null);
            case SYNCHRONIZE -> chosen(type, first(into, outcome.name(), firstOtherThan(from, listed())), from);
            default -> chosen(type, first(parametersEnvironment, environment.name(), firstListed()), null);
        };
    }

    /**
     * A branch or activation is about the new (activated) environment. Which field names it is not settled (see
     * ARCHITECTURE.md): {@code payload.outcome} where the clients read it, else the first name that is not the parent.
     */
    private Chosen created(String type) {
        String parentName = first(parent.name(), parametersParent, outcome.parent());
        List<String> names = new ArrayList<>();
        names.add(environment.name());
        names.addAll(listed());
        return chosen(type, first(outcome.name(), firstOtherThan(parentName, names), null), parentName);
    }

    private Chosen chosen(String type, String chosenName, String knownParent) {
        String name = chosenName == null || chosenName.isEmpty() ? null : chosenName;
        Described d = describing(type, name);
        // The deployment is of the environment the activity deploys, the chosen one, unless it names another.
        boolean deploymentIsOfIt = deployment.name() != null
                ? deployment.names(name)
                : deployment.machineName() == null
                        || d.machineName() == null
                        || deployment.machineName().equals(d.machineName());
        String parentName = knownParent != null && !knownParent.isEmpty() ? knownParent : d.parent();
        return new Chosen(name, d.machineName(), d.type(), parentName, deploymentIsOfIt);
    }

    /**
     * The object that describes the environment: one that names it; for an activity about a single environment, also
     * an unnamed {@code payload.environment}, as before.
     */
    private Described describing(String type, String name) {
        for (Described d : List.of(environment, outcome, parent)) {
            if (d.names(name)) {
                return d;
            }
        }
        if (!twoEnvironments(type) && environment.name() == null && !environment.isEmpty()) {
            return environment;
        }
        return Described.NONE;
    }

    /** The types known to carry two environments, where an object without a name cannot be attributed. */
    private static boolean twoEnvironments(String type) {
        return type.equals(BRANCH) || type.equals(MERGE) || type.equals(SYNCHRONIZE);
    }

    private String firstListed() {
        return environments.isEmpty() ? null : environments.get(0);
    }

    /** {@code environments}, then {@code parameters.environment}. */
    private List<String> listed() {
        List<String> names = new ArrayList<>(environments);
        names.add(parametersEnvironment);
        return names;
    }

    /** The first name that is set and is not {@code excluded} (the other environment of the activity). */
    private static String firstOtherThan(String excluded, List<String> names) {
        for (String n : names) {
            if (n != null && !n.isEmpty() && !n.equals(excluded)) {
                return n;
            }
        }
        return null;
    }

    /**
     * The environment name in a machine name such as {@code main-bvxea6i}: health notifications carry only the
     * machine name. Derived, not read: for a name that needed making URL-safe it is the URL-safe form. A value not
     * shaped like a machine name is returned as it is.
     */
    static String nameOfMachineName(String machineName) {
        if (machineName == null) {
            return null;
        }
        Matcher m = MACHINE_NAME.matcher(machineName);
        return m.matches() ? m.group(1) : machineName;
    }

    static String first(String x, String y, String z) {
        if (x != null && !x.isEmpty()) {
            return x;
        }
        if (y != null && !y.isEmpty()) {
            return y;
        }
        return z;
    }
}

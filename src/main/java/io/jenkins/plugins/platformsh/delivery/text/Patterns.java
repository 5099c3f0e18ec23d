package io.jenkins.plugins.platformsh.delivery.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A list of names and glob patterns ({@code *} any run of characters, {@code ?} one character: see {@link Glob}), as
 * typed in a filter field: separated by commas, spaces or new lines. An empty list means "any" or "none", as its
 * filter says.
 */
public final class Patterns {

    private static final Patterns EMPTY = new Patterns(List.of());

    private final List<String> items;
    private final Set<String> exact;
    private final List<Glob> globs;
    private final boolean matchesAll;

    private Patterns(List<String> items) {
        this(items, false);
    }

    private Patterns(List<String> items, boolean literal) {
        this.items = List.copyOf(items);
        Set<String> e = new LinkedHashSet<>();
        List<Glob> g = new ArrayList<>();
        boolean all = false;
        for (String s : items) {
            if (literal) {
                e.add(s);
            } else if (s.equals("*")) {
                all = true;
            } else if (isGlob(s)) {
                g.add(Glob.of(s));
            } else {
                e.add(s);
            }
        }
        this.exact = Set.copyOf(e);
        this.globs = List.copyOf(g);
        this.matchesAll = all;
    }

    public static Patterns parse(String text) {
        List<String> out = new ArrayList<>();
        for (String s : split(text)) {
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out.isEmpty() ? EMPTY : new Patterns(out);
    }

    /**
     * Names taken as they are, never as globs or lists: a branch name is not filter text (it may hold a comma).
     * Blank and null names are left out.
     */
    public static Patterns literal(Collection<String> names) {
        List<String> out = new ArrayList<>();
        for (String s : names) {
            if (s != null && !s.isBlank() && !out.contains(s)) {
                out.add(s);
            }
        }
        return out.isEmpty() ? EMPTY : new Patterns(out, true);
    }

    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String s : text.split("[,\\s]+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    public static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public List<String> items() {
        return items;
    }

    /** The exact names, when the list has neither a glob nor {@code *}; else null (it cannot be indexed by name). */
    public Set<String> exactOnly() {
        return matchesAll || !globs.isEmpty() || exact.isEmpty() ? null : exact;
    }

    public boolean matches(String value) {
        if (matchesAll) {
            return true;
        }
        if (value == null) {
            return false;
        }
        if (exact.contains(value)) {
            return true;
        }
        for (Glob g : globs) {
            if (g.matches(value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the value matches the glob (see {@link Glob}); compiles it each time, for one-off checks. */
    public static boolean glob(String pattern, CharSequence value) {
        return Glob.of(pattern).matches(value);
    }

    @Override
    public String toString() {
        return items.toString();
    }
}

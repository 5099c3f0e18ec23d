/**
 * Text every stage shares: the one bounded JSON factory ({@code Json}), HTML escaping, the comma-or-space lists and
 * globs the filters are written in ({@code Patterns}, each glob matched in one pass by {@code Glob}), the verdict
 * on a form field ({@code Validation}), and the secrets that hide in free text ({@code SecretsInText}), which every
 * value taken from a payload is cleaned of. The bottom of the delivery package: it uses nothing else in it.
 */
package io.jenkins.plugins.platformsh.delivery.text;

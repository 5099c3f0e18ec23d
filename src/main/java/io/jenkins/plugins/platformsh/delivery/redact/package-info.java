/**
 * Redaction of a payload ({@code Redactor}: secret fields, and secrets in free text by the rule of
 * {@code text.SecretsInText}), and the redacted copy of a delivery, made once when something first needs it
 * ({@code RedactedCopy}). The fields of an {@code Activity} are redacted by the same rule as it is made. Uses
 * {@code activity} and {@code text}.
 */
package io.jenkins.plugins.platformsh.delivery.redact;

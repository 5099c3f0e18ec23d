package io.jenkins.plugins.platformsh.delivery;

import java.util.Map;

/**
 * One build to queue: the job, and everything the build carries from the delivery.
 *
 * @param targetId the job's full name
 * @param spec the trigger that matched
 * @param variables the PLATFORMSH_* variables, in documentation order
 * @param causeText the one-line cause, plain text
 * @param causeHtml the same, HTML-escaped
 * @param coalesceKey project and environment, for {@link Coalesce#LATEST_PER_ENVIRONMENT}
 * @param redactedPayload the body as JSON text with secrets removed and {@code log} dropped
 * @param activity the parsed delivery
 */
public record Schedule(
        String targetId,
        TriggerSpec spec,
        Map<String, String> variables,
        String causeText,
        String causeHtml,
        String coalesceKey,
        String redactedPayload,
        Activity activity) {}

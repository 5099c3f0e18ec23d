/**
 * The global configuration (shared key, token, additional keys, limits), the form helpers the trigger and the steps
 * share ({@code PlatformshForms}), and credential look-ups by id ({@code SecretTexts}). Depends on the delivery
 * package only: the trigger registry reads this configuration, never the reverse.
 */
package io.jenkins.plugins.platformsh.config;

/**
 * Verifying a delivery: the {@code X-JWS-Signature} (HS256, detached unencoded payload) or a token, checked in
 * constant time against the configured keys ({@code SignatureVerifier}, {@code VerificationKey}; the JWS header
 * itself, {@code ProtectedHeader}), and which keys vouched for it ({@code Verification}), which later stages use to
 * scope what a key may reach. Uses {@code receive} and {@code text}.
 */
package io.jenkins.plugins.platformsh.delivery.verify;

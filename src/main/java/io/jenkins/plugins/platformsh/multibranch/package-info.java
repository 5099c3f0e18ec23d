/**
 * Multibranch projects (branch-api, scm-api): the Platform.sh trigger on a multibranch project builds the branch
 * job of the activity's environment, and a branch job's trigger defaults to its own environment. Every class here
 * is an {@code @Extension(optional = true)} that fails to load, and is skipped, where those plugins are not
 * installed. The decisions (which branch job, what to do while it is missing) are
 * {@link io.jenkins.plugins.platformsh.delivery.route}'s; these classes look jobs up and queue them.
 */
package io.jenkins.plugins.platformsh.multibranch;

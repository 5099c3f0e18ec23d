/**
 * Where the state of the delivery package is written: {@code $JENKINS_HOME/platformsh-webhook/}, by Jenkins' shared
 * timer. What is written is {@code delivery.state}'s decision. Depends on the delivery package only.
 */
package io.jenkins.plugins.platformsh.store;

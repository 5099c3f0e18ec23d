package io.jenkins.plugins.platformsh.trigger;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.listeners.ItemListener;

/**
 * Keeps the trigger index keyed by the jobs' current full names: Jenkins does not restart triggers when a job or a
 * folder above it is renamed or moved, nor always stop them when it is deleted.
 */
@Extension
public class PlatformshItemListener extends ItemListener {

    @Override
    public void onLocationChanged(Item item, String oldFullName, String newFullName) {
        PlatformshTriggers.get().moved(oldFullName, newFullName);
    }

    @Override
    public void onDeleted(Item item) {
        PlatformshTriggers.get().deleted(item.getFullName());
    }
}

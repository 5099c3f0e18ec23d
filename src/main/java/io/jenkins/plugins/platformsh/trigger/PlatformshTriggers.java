package io.jenkins.plugins.platformsh.trigger;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.Terminator;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.state.StateStore;
import io.jenkins.plugins.platformsh.delivery.verify.KeyListCache;
import io.jenkins.plugins.platformsh.delivery.verify.MissingKeys;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import io.jenkins.plugins.platformsh.store.StateFiles;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one trigger index and delivery service of this Jenkins. Triggers register themselves when Jenkins starts them,
 * so a delivery never scans the jobs. Each registration remembers which trigger instance made it: Pipeline jobs
 * start the new instance and stop the old one in either order on save, and only the owner may remove an entry.
 */
@Extension
public class PlatformshTriggers {

    private final TriggerIndex index = new TriggerIndex();
    private final Deduplicator dedupe = new Deduplicator();
    private final DeliveryLog log = new DeliveryLog();
    private final DeliveryService service = new DeliveryService(index, dedupe, log, Clock.systemUTC());
    /** What survives a restart; read on first use, not at start-up. */
    private final StateStore state = StateFiles.create(dedupe, log);

    private volatile boolean stateLoaded;
    /** Target id (job full name) to the trigger instance that registered it. Guarded by this. */
    private final Map<String, PlatformshTrigger> owners = new HashMap<>();
    /**
     * The same, the other way: the name each trigger instance is registered under. Jenkins starts every trigger at
     * load, so finding an instance's name by walking {@link #owners} made loading 10,000 jobs quadratic. Guarded by
     * this.
     */
    private final Map<PlatformshTrigger, String> names = new IdentityHashMap<>();

    /** Grows at every change of the registrations: the keys they name are resolved again only then. */
    private final AtomicLong keysVersion = new AtomicLong();

    /** The keys deliveries are verified with, and the credentials reported missing ({@link PlatformshKeys}). */
    private final KeyListCache keyCache = new KeyListCache();

    private final MissingKeys missingKeys = new MissingKeys();

    public static PlatformshTriggers get() {
        return ExtensionList.lookupSingleton(PlatformshTriggers.class);
    }

    /**
     * What the replay storage holds now, for the global configuration's form. Its view asks here: the configuration
     * is read by this registry, so it cannot depend on it.
     */
    public static String replayStorageInUse() {
        DeliveryLog log = get().service().log();
        return "Now kept: " + log.bodiesKept() + " bodies, " + (log.bodyChars() + 1023) / 1024 + " KiB.";
    }

    /** The service, with what it remembered before the last restart read back on the first call. */
    public DeliveryService service() {
        if (!stateLoaded) {
            loadState();
        }
        return service;
    }

    /** The service without reading the stored state (for metrics, which must not do file work at start-up). */
    public DeliveryService serviceNotLoaded() {
        return service;
    }

    private void loadState() {
        synchronized (state) { // not this: registering triggers need not wait for the files
            if (!stateLoaded) {
                DeliverySettings settings = PlatformshGlobalConfiguration.get().toSettings();
                log.resize(settings.logSize()); // restore within today's bounds
                log.limitBodies(settings.replayBytes());
                state.loadOnce();
                stateLoaded = true;
            }
        }
    }

    /** Something was decided: it is written to disk a few seconds from now, off the delivery's path. */
    public void stateChanged() {
        state.changed();
    }

    /** Writes what is pending now (at shutdown). */
    public void flushState() {
        state.flush();
    }

    /** Runs before Jenkins shuts its timer down, so that what is pending is written. */
    @Terminator // no displayName: it is a Messages key, and this package has no Messages
    public static void flushAtShutdown() {
        get().flushState();
    }

    synchronized void register(String targetId, PlatformshTrigger trigger, TriggerSpec spec) {
        // The same instance under another name (a rename seen before its event) is moved, not duplicated.
        unregister(trigger);
        PlatformshTrigger previous = owners.put(targetId, trigger);
        if (previous != null) {
            names.remove(previous);
        }
        names.put(trigger, targetId);
        index.put(targetId, spec);
        keysVersion.incrementAndGet();
    }

    synchronized void unregister(PlatformshTrigger trigger) {
        String id = names.remove(trigger);
        if (id != null && owners.get(id) == trigger) {
            owners.remove(id);
            index.remove(id);
            keysVersion.incrementAndGet();
        }
    }

    /**
     * A job found gone or without its trigger when a delivery was scheduled: its entry goes only if it is still the
     * one the delivery was matched with. During a rename, or while workflow-job re-adds its triggers property, the
     * job may have registered anew under that name since, and that registration is live.
     */
    public synchronized void forget(String targetId, TriggerSpec matched) {
        if (index.removeIfSame(targetId, matched)) {
            names.remove(owners.remove(targetId));
            keysVersion.incrementAndGet();
        }
    }

    private void remove(String targetId) {
        PlatformshTrigger gone = owners.remove(targetId);
        if (gone != null) {
            names.remove(gone);
        }
        index.remove(targetId);
        keysVersion.incrementAndGet();
    }

    /** A job or folder was renamed or moved: its entries, and those of the jobs inside it, follow. */
    synchronized void moved(String oldFullName, String newFullName) {
        Map<String, PlatformshTrigger> renamed = new LinkedHashMap<>();
        for (String id : new ArrayList<>(owners.keySet())) {
            if (id.equals(oldFullName) || id.startsWith(oldFullName + "/")) {
                renamed.put(newFullName + id.substring(oldFullName.length()), owners.remove(id));
                TriggerSpec spec = index.get(id);
                index.remove(id);
                if (spec != null) {
                    index.put(newFullName + id.substring(oldFullName.length()), spec);
                }
            }
        }
        owners.putAll(renamed);
        renamed.forEach((id, t) -> names.put(t, id));
        if (!renamed.isEmpty()) {
            keysVersion.incrementAndGet(); // a job's keys are resolved in its (new) folder's context
        }
    }

    /** A job or folder was deleted: its entries, and those of the jobs inside it, go. */
    synchronized void deleted(String fullName) {
        for (String id : new ArrayList<>(owners.keySet())) {
            if (id.equals(fullName) || id.startsWith(fullName + "/")) {
                remove(id);
            }
        }
    }

    /**
     * Target (job full name) to the keys its trigger names, each in its role, for the triggers that name any. Each
     * is resolved in its own job's context: ids are not unique across folders.
     */
    synchronized Map<String, List<NamedKey>> keysByTarget() {
        Map<String, List<NamedKey>> out = new LinkedHashMap<>();
        for (String id : owners.keySet()) {
            TriggerSpec spec = index.get(id);
            if (spec != null && !spec.ownKeys().isEmpty()) {
                out.put(id, spec.ownKeys());
            }
        }
        return out;
    }

    KeyListCache keyCache() {
        return keyCache;
    }

    MissingKeys missingKeys() {
        return missingKeys;
    }

    /** Grows whenever {@link #keysByTarget()} may have changed. */
    long keysVersion() {
        return keysVersion.get();
    }
}

package io.jenkins.plugins.platformsh.delivery.log;

import io.jenkins.plugins.platformsh.delivery.text.Clip;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines the deliveries page shows about a delivery's activity. Only what the delivery had: a request refused
 * before its body was read has no activity, and gets no "project , environment" line of empty names.
 */
public final class DeliveryLabels {

    private DeliveryLabels() {}

    /** The HTML id of a delivery's row on the deliveries page, which a build page links to. */
    public static String anchor(String deliveryId) {
        return "delivery-" + deliveryId;
    }

    /**
     * "environment.push complete", "project abc, environment main", "activity x1": each only with its values, each
     * value quoted to at most {@value Clip#QUOTE} characters (with the marker).
     */
    public static List<String> activity(DeliveryLog.Entry e) {
        List<String> lines = new ArrayList<>(3);
        String what = join(" ", Clip.quote(e.type()), Clip.quote(e.state()));
        if (!what.isEmpty()) {
            lines.add(what);
        }
        String where = join(", ", prefixed("project ", e.project()), prefixed("environment ", e.environment()));
        if (!where.isEmpty()) {
            lines.add(where);
        }
        if (present(e.activityId())) {
            lines.add("activity " + Clip.quote(e.activityId()));
        }
        return lines;
    }

    private static String prefixed(String label, String value) {
        return present(value) ? label + Clip.quote(value) : null;
    }

    private static String join(String separator, String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (present(p)) {
                if (sb.length() > 0) {
                    sb.append(separator);
                }
                sb.append(p);
            }
        }
        return sb.toString();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}

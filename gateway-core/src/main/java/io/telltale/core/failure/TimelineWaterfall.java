package io.telltale.core.failure;

import java.util.List;

/**
 * The request's way to the origin as a waterfall: one row per step (DNS, TCP, TLS, first byte), each bar
 * placed at when the step ran and labelled with how long it took, the failed step marked.
 */
final class TimelineWaterfall {
    private static final String[] LABELS = {"DNS lookup", "TCP connect", "TLS handshake", "First byte"};

    private TimelineWaterfall() {
    }

    /** Writes the waterfall when the request reached the origin's steps at all. */
    static void write(StringBuilder out, List<HopStrip.Step> steps, RequestTimeline timeline) {
        if (timeline == null || steps.size() != LABELS.length
                || steps.stream().allMatch(s -> s.state() == HopStrip.State.NOT_REACHED)) {
            return;
        }
        RequestTimeline.Span[] spans = {timeline.dnsSpan(), timeline.connectSpan(), timeline.tlsSpan(), timeline.firstByteSpan()};
        long[] start = new long[spans.length];
        long[] end = new long[spans.length];
        long done = timeline.doneMicros();
        long scale = Math.max(1, done);
        for (int i = 0; i < spans.length; i++) {
            HopStrip.State state = steps.get(i).state();
            start[i] = spans[i].started() && (state == HopStrip.State.OK || state == HopStrip.State.FAILED) ? spans[i].startMicros() : -1;
            // A failed step has no end stamp of its own: it lasted until the gateway gave up on it.
            end[i] = start[i] < 0 ? -1 : spans[i].ended() ? spans[i].endMicros() : done;
            scale = Math.max(scale, end[i]);
        }
        out.append("<h3>Timeline</h3><ol class=\"waterfall\">");
        for (int i = 0; i < spans.length; i++) {
            row(out, i, steps.get(i).state(), start[i], end[i], scale);
        }
        out.append("</ol>");
        if (done >= 0) {
            out.append("<p class=\"total\">The gateway answered ").append(Html.micros(done)).append(" after the request arrived.</p>");
        }
    }

    private static void row(StringBuilder out, int i, HopStrip.State state, long start, long end, long scale) {
        String cls = state.label().replace(' ', '-');
        out.append("<li class=\"step-row ").append(cls).append("\" data-step=\"").append(steps(i)).append("\"><span class=\"label\">")
                .append(LABELS[i]).append("</span><span class=\"track\">");
        if (start >= 0 && end >= 0) {
            double left = Math.min(percent(start, scale), 99.2);
            double width = Math.min(Math.max(0.8, percent(end, scale) - left), 100 - left);
            out.append("<span class=\"bar\" style=\"left:").append(left).append("%;width:")
                    .append(Math.round(width * 10) / 10.0).append("%\"></span>");
        }
        out.append("</span><span class=\"time\">");
        switch (state) {
            case OK -> out.append(end >= 0 ? Html.micros(end - start) : "done");
            case FAILED -> out.append("&#10007; failed").append(end >= 0 ? " after " + Html.micros(end - start) : "");
            case SKIPPED -> out.append("not needed");
            case NOT_REACHED -> out.append("not reached");
        }
        out.append("</span></li>");
    }

    private static String steps(int i) {
        return switch (i) {
            case 0 -> "dns";
            case 1 -> "tcp";
            case 2 -> "tls";
            default -> "http";
        };
    }

    private static double percent(long micros, long scale) {
        return Math.round(1000.0 * micros / scale) / 10.0;
    }
}

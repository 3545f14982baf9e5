package cambench.harness.engine;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * libtorch's operator profiler around a piece of work: a Chrome trace (open it in
 * {@code chrome://tracing} or Perfetto) and the operators ranked by self time.
 *
 * <p>Self time of an event is its duration minus the durations of the events nested directly in it
 * on the same thread (e.g. {@code aten::conv2d} minus its {@code aten::convolution}), so the self
 * times of a trace add up to the time spent inside libtorch. {@code bench/profile-compare.py} reads
 * this trace and one from {@code torch.profiler} the same way and puts them side by side.
 */
public final class OpProfile {
    /** One operator's totals over the profiled work: calls, self and inclusive time in ms. */
    public record OpTime(String name, long calls, double selfMs, double totalMs) {
    }

    private OpProfile() {
    }

    /**
     * Runs {@code work} with the profiler on (input shapes recorded) and writes the Chrome trace.
     *
     * @param trace where the trace goes (parent folders are created)
     * @param work what to profile, e.g. ten training steps
     * @return the operators by self time, largest first
     */
    public static List<OpTime> record(Path trace, Runnable work) {
        try {
            Path parent = trace.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of " + trace, e);
        }
        JniUtils.startProfile(false, true, false);
        try {
            work.run();
        } finally {
            JniUtils.stopProfile(trace.toAbsolutePath().toString());
        }
        return selfTimes(trace);
    }

    /**
     * Operators of a Chrome trace by self time, largest first. Accepts libtorch's legacy format (a
     * JSON array of events) and {@code torch.profiler}'s ({@code {"traceEvents": [...]}}); only
     * complete events ({@code "ph": "X"}) count.
     */
    public static List<OpTime> selfTimes(Path trace) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(trace.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + trace, e);
        }
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<String, List<Event>> byThread = new HashMap<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText()) || !e.has("dur")) {
                continue;
            }
            String thread = e.path("pid").asText() + "/" + e.path("tid").asText();
            byThread.computeIfAbsent(thread, k -> new ArrayList<>())
                    .add(new Event(e.path("name").asText(), e.path("ts").asDouble(), e.path("dur").asDouble()));
        }
        Map<String, double[]> totals = new HashMap<>();
        for (List<Event> thread : byThread.values()) {
            nest(thread);
            for (Event e : thread) {
                double[] t = totals.computeIfAbsent(e.name, k -> new double[3]);
                t[0]++;
                t[1] += e.self;
                t[2] += e.dur;
            }
        }
        List<OpTime> out = new ArrayList<>();
        totals.forEach((name, t) -> out.add(new OpTime(name, (long) t[0], t[1] / 1000, t[2] / 1000)));
        out.sort(Comparator.comparingDouble(OpTime::selfMs).reversed());
        return out;
    }

    /** Subtracts from each event the durations of its direct children (events of one thread). */
    private static void nest(List<Event> thread) {
        thread.sort(Comparator.comparingDouble((Event e) -> e.ts).thenComparing(e -> -e.dur));
        Deque<Event> open = new ArrayDeque<>();
        for (Event e : thread) {
            while (!open.isEmpty() && open.peek().end() <= e.ts) {
                open.pop();
            }
            if (!open.isEmpty()) {
                open.peek().self -= e.dur;
            }
            open.push(e);
        }
    }

    /**
     * Prints the first {@code top} operators as a table: calls, self ms, inclusive ms, per step when
     * {@code steps > 0}, and each one's share of the summed self time.
     */
    public static void print(List<OpTime> ops, int top, int steps, PrintWriter out) {
        double all = ops.stream().mapToDouble(OpTime::selfMs).sum();
        double per = Math.max(steps, 1);
        out.printf(Locale.ROOT, "%-56s %8s %12s %12s %7s%n", "op (self time, per step)", "calls", "self_ms",
                "total_ms", "share");
        for (OpTime o : ops.subList(0, Math.min(top, ops.size()))) {
            out.printf(Locale.ROOT, "%-56s %8.1f %12.3f %12.3f %6.1f%%%n", shorten(o.name()), o.calls() / per,
                    o.selfMs() / per, o.totalMs() / per, 100 * o.selfMs() / all);
        }
        out.printf(Locale.ROOT, "%-56s %8s %12.3f%n", "all ops", "", all / per);
        out.flush();
    }

    private static String shorten(String name) {
        return name.length() <= 56 ? name : name.substring(0, 53) + "...";
    }

    private static final class Event {
        final String name;
        final double ts;
        final double dur;
        double self;

        Event(String name, double ts, double dur) {
            this.name = name;
            this.ts = ts;
            this.dur = dur;
            this.self = dur;
        }

        double end() {
            return ts + dur;
        }
    }
}

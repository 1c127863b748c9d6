package io.github.rosettadl.examples.cli.bench;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code rosetta bench} measured. The JSON form uses the same field names as
 * {@code bench/pytorch_bench.py}, so that {@code bench/ratio_table.py} reads both.
 *
 * @param side {@code java}
 * @param model the model's command-line name
 * @param dataset the data set's command-line name
 * @param engine the engine and its version
 * @param threads the intra-op threads
 * @param batchSize the training batch size
 * @param warmupSteps steps run before timing
 * @param warmupSeconds the wall time of those steps
 * @param timedSteps steps timed after the warm-up
 * @param medianMs the median milliseconds per timed step
 * @param p10Ms the 10th percentile of the timed steps' milliseconds
 * @param p90Ms the 90th percentile of the timed steps' milliseconds
 * @param imagesPerSecond the timed steps' images over their wall time, from the first's start to the last's end
 * @param peakRssMb the process's highest resident set size ({@code VmHWM}), MB
 * @param rssMb the resident set size at the end, MB
 * @param firstStepSeconds from the process's start to the end of the first training step
 * @param epochRssMb the resident set size after each epoch, MB, in epochs mode; otherwise null
 * @param rssDriftPercent the largest change of {@code epochRssMb} from its first value, percent; or null
 */
public record BenchReport(String side, String model, String dataset, String engine, int threads, int batchSize,
        int warmupSteps, double warmupSeconds, int timedSteps, double medianMs, double p10Ms, double p90Ms,
        double imagesPerSecond, double peakRssMb, double rssMb, double firstStepSeconds, List<Double> epochRssMb,
        Double rssDriftPercent) {

    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

    /**
     * Summarises a finished run: the steps after the first {@code warmupSteps} are timed.
     *
     * @param setup what was trained
     * @param clock the step times
     * @param warmupSteps how many of the first steps are warm-up
     * @param epochRssMb the resident set size after each epoch, or an empty list
     * @return the report, with the process's memory read now
     * @throws IllegalArgumentException when no step is left after the warm-up
     */
    public static BenchReport of(BenchSetup setup, StepClock clock, int warmupSteps, List<Double> epochRssMb) {
        int timed = clock.steps() - warmupSteps;
        if (warmupSteps < 0 || timed < 1) {
            throw new IllegalArgumentException("No step left to time: " + clock.steps() + " steps ran and "
                    + warmupSteps + " of them are warm-up.");
        }
        double[] ms = new double[timed];
        long images = 0;
        for (int i = 0; i < timed; i++) {
            int step = warmupSteps + i;
            ms[i] = (clock.endNanos(step) - clock.startNanos(step)) / 1e6;
            images += clock.images(step);
        }
        Arrays.sort(ms);
        double timedSeconds = (clock.endNanos(clock.steps() - 1) - clock.startNanos(warmupSteps)) / 1e9;
        double warmupSeconds = warmupSteps == 0 ? 0 : (clock.startNanos(warmupSteps) - clock.startNanos(0)) / 1e9;
        Double drift = null;
        if (!epochRssMb.isEmpty()) {
            double first = epochRssMb.get(0);
            drift = epochRssMb.stream().mapToDouble(r -> 100 * (r - first) / first)
                    .reduce(0, (a, b) -> Math.abs(b) > Math.abs(a) ? b : a);
        }
        // the current size first: read after it, the high-water mark cannot be below it
        double rss = ProcessStats.residentMegabytes();
        double peakRss = Math.max(ProcessStats.peakResidentMegabytes(), rss);
        return new BenchReport("java", setup.model(), setup.dataset(), setup.engine(), setup.threads(),
                setup.batchSize(), warmupSteps, warmupSeconds, timed, percentile(ms, 50), percentile(ms, 10),
                percentile(ms, 90), images / timedSeconds, peakRss, rss, clock.firstStepProcessSeconds(),
                epochRssMb.isEmpty() ? null : List.copyOf(epochRssMb), drift);
    }

    /** The p-th percentile of sorted values, interpolated linearly between ranks as numpy's default does. */
    static double percentile(double[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    /**
     * The report as one line of JSON, with snake_case field names.
     *
     * @return the JSON object
     */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * The report as a markdown table of measures and values.
     *
     * @return the table, one row per measure
     */
    public String toMarkdown() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%s on %s, batch %d, %s, %d intra-op thread(s)%n%n| measure | value |%n|---|---|%n",
                model, dataset, batchSize, engine, threads));
        row(table, "warm-up", "%d steps, %.1f s", warmupSteps, warmupSeconds);
        row(table, "timed steps", "%d", timedSteps);
        row(table, "ms per step, median (p10-p90)", "%.3f (%.3f-%.3f)", medianMs, p10Ms, p90Ms);
        row(table, "images per second", "%.0f", imagesPerSecond);
        row(table, "peak RSS", "%.0f MB", peakRssMb);
        row(table, "RSS at the end", "%.0f MB", rssMb);
        row(table, "process start to end of first step", "%.2f s", firstStepSeconds);
        if (epochRssMb != null) {
            StringBuilder perEpoch = new StringBuilder();
            epochRssMb.forEach(r -> perEpoch.append(perEpoch.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%.0f", r)));
            row(table, "RSS after each epoch, MB", "%s", perEpoch);
            row(table, "largest RSS change from epoch 1", "%+.1f%%", rssDriftPercent);
        }
        return table.toString();
    }

    private static void row(StringBuilder table, String measure, String format, Object... values) {
        table.append("| ").append(measure).append(" | ").append(String.format(Locale.ROOT, format, values))
                .append(" |").append(System.lineSeparator());
    }
}

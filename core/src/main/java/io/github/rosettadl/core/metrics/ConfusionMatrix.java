package io.github.rosettadl.core.metrics;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * Counts of (true class, predicted class) pairs, and the metrics that follow from them: accuracy,
 * per-class precision, recall, F1 and support, and their macro averages.
 *
 * <p>Where a ratio has a zero denominator (a class never predicted, or never present) it is 0,
 * as scikit-learn's {@code zero_division=0} gives.
 */
public final class ConfusionMatrix {

    private final List<String> classNames;
    private final long[][] counts;
    private final long total;

    private ConfusionMatrix(List<String> classNames, long[][] counts, long total) {
        this.classNames = classNames;
        this.counts = counts;
        this.total = total;
    }

    /**
     * Counts label/prediction pairs.
     *
     * @param labels the true classes
     * @param predictions the predicted classes, the same length
     * @param classNames one name per class; the classes are 0 to {@code classNames.size() - 1}
     * @return the matrix
     * @throws IllegalArgumentException when the lengths differ or a class is out of range
     */
    public static ConfusionMatrix of(int[] labels, int[] predictions, List<String> classNames) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException("There are " + labels.length + " labels but " + predictions.length
                    + " predictions.");
        }
        int k = classNames.size();
        if (k < 1) {
            throw new IllegalArgumentException("A confusion matrix needs at least one class name.");
        }
        long[][] counts = new long[k][k];
        for (int i = 0; i < labels.length; i++) {
            int t = labels[i];
            int p = predictions[i];
            if (t < 0 || t >= k || p < 0 || p >= k) {
                throw new IllegalArgumentException("Example " + i + " has label " + t + " and prediction " + p
                        + ", but the classes are 0 to " + (k - 1) + ".");
            }
            counts[t][p]++;
        }
        return new ConfusionMatrix(List.copyOf(classNames), counts, labels.length);
    }

    /**
     * The class names.
     *
     * @return the names, index = class
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * How often class {@code actual} was predicted as {@code predicted}.
     *
     * @param actual the true class
     * @param predicted the predicted class
     * @return the count
     */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /**
     * The fraction of examples on the diagonal.
     *
     * @return correct / total, 0 for no examples
     */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return ratio(correct, total);
    }

    /**
     * Of the examples predicted as {@code c}, the fraction that are {@code c}.
     *
     * @param c the class
     * @return TP / (TP + FP)
     */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return ratio(counts[c][c], predicted);
    }

    /**
     * Of the examples of class {@code c}, the fraction predicted as {@code c}.
     *
     * @param c the class
     * @return TP / (TP + FN)
     */
    public double recall(int c) {
        return ratio(counts[c][c], support(c));
    }

    /**
     * The harmonic mean of precision and recall.
     *
     * @param c the class
     * @return 2PR / (P + R)
     */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * The number of examples of class {@code c}.
     *
     * @param c the class
     * @return the row sum
     */
    public long support(int c) {
        long n = 0;
        for (long v : counts[c]) {
            n += v;
        }
        return n;
    }

    /**
     * The unweighted mean of the per-class precisions.
     *
     * @return macro precision
     */
    public double macroPrecision() {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += precision(c);
        }
        return sum / counts.length;
    }

    /**
     * The unweighted mean of the per-class recalls.
     *
     * @return macro recall
     */
    public double macroRecall() {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += recall(c);
        }
        return sum / counts.length;
    }

    /**
     * The unweighted mean of the per-class F1 scores (scikit-learn's {@code average='macro'}).
     *
     * @return macro F1
     */
    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += f1(c);
        }
        return sum / counts.length;
    }

    /**
     * The matrix as a table: one row per true class, a first column {@code class} with its name, then
     * one count column per predicted class, named after it.
     *
     * @return a new table named {@code confusion}
     */
    public Table toTable() {
        Table table = Table.create("confusion", StringColumn.create("class", classNames));
        for (int p = 0; p < counts.length; p++) {
            IntColumn column = IntColumn.create(classNames.get(p));
            for (long[] row : counts) {
                column.append(Math.toIntExact(row[p]));
            }
            table.addColumns(column);
        }
        return table;
    }

    /**
     * Per-class metrics with the columns {@code class, precision, recall, f1, support}, one row per class.
     *
     * @return a new table named {@code metrics}
     */
    public Table perClassTable() {
        DoubleColumn precision = DoubleColumn.create("precision");
        DoubleColumn recall = DoubleColumn.create("recall");
        DoubleColumn f1 = DoubleColumn.create("f1");
        IntColumn support = IntColumn.create("support");
        for (int c = 0; c < counts.length; c++) {
            precision.append(precision(c));
            recall.append(recall(c));
            f1.append(f1(c));
            support.append(Math.toIntExact(support(c)));
        }
        return Table.create("metrics", StringColumn.create("class", classNames), precision, recall, f1, support);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}

package io.github.rosettadl.core.training;

import io.github.rosettadl.core.io.AtomicFile;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The per-epoch record of a training run, as a Tablesaw table with the columns {@code epoch,
 * train_loss, train_accuracy, val_loss, val_accuracy, seconds, images_per_second}.
 */
public final class History {

    /** The column names, in order. */
    public static final List<String> COLUMNS = List.of("epoch", "train_loss", "train_accuracy", "val_loss",
            "val_accuracy", "seconds", "images_per_second");

    private final List<EpochMetrics> epochs = new ArrayList<>();

    /** An empty history. */
    public History() {
    }

    /**
     * A history holding the given epochs.
     *
     * @param epochs the rows, in order
     */
    public History(List<EpochMetrics> epochs) {
        epochs.forEach(this::add);
    }

    /**
     * Appends an epoch.
     *
     * @param metrics the next epoch, numbered one after the last
     * @throws IllegalArgumentException when the epoch number does not follow the last one
     */
    public void add(EpochMetrics metrics) {
        int expected = epochs.size() + 1;
        if (metrics.epoch() != expected) {
            throw new IllegalArgumentException("History expected epoch " + expected + ", got " + metrics.epoch() + ".");
        }
        epochs.add(metrics);
    }

    /**
     * The epochs so far.
     *
     * @return an unmodifiable view, oldest first
     */
    public List<EpochMetrics> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /**
     * The history as a table, one row per epoch; missing validation values are Tablesaw's missing value.
     *
     * @return a new table named {@code history}
     */
    public Table toTable() {
        IntColumn epoch = IntColumn.create(COLUMNS.get(0));
        DoubleColumn[] values = new DoubleColumn[COLUMNS.size() - 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = DoubleColumn.create(COLUMNS.get(i + 1));
        }
        for (EpochMetrics m : epochs) {
            epoch.append(m.epoch());
            double[] row = {m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy(), m.seconds(),
                m.imagesPerSecond()};
            for (int i = 0; i < row.length; i++) {
                if (Double.isNaN(row[i])) {
                    values[i].appendMissing();
                } else {
                    values[i].append(row[i]);
                }
            }
        }
        Table table = Table.create("history", epoch);
        table.addColumns(values);
        return table;
    }

    /**
     * Writes the table as CSV, through a temporary file renamed into place, so a reader never sees
     * half a file.
     *
     * @param file the CSV file to write
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public void writeCsv(Path file) {
        AtomicFile.write(file, temp -> toTable().write().csv(temp.toFile()));
    }
}

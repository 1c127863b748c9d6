package io.github.rosettadl.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.Table;

import java.util.List;

class ConfusionMatrixTest {

    private static final List<String> NAMES = List.of("cat", "dog", "bird");

    /*
     * By hand: true   0 0 0 0 1 1 1 2 2 2
     *          pred   0 0 1 2 1 1 0 2 2 1
     * rows (true) x columns (predicted): cat [2 1 1], dog [1 2 0], bird [0 1 2]
     * predicted totals: cat 3, dog 4, bird 3; supports 4, 3, 3
     * precision 2/3, 1/2, 2/3; recall 1/2, 2/3, 2/3
     * F1 cat = 2 (2/3)(1/2) / (2/3 + 1/2) = 4/7, dog = 4/7, bird = 2/3
     * macro precision = macro recall = 11/18, macro F1 = (4/7 + 4/7 + 2/3) / 3 = 38/63, accuracy 6/10
     */
    private static final int[] LABELS = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    private static final int[] PREDICTIONS = {0, 0, 1, 2, 1, 1, 0, 2, 2, 1};

    @Test
    void metricsMatchTheValuesWorkedOutByHand() {
        ConfusionMatrix m = ConfusionMatrix.of(LABELS, PREDICTIONS, NAMES);
        assertEquals(0.6, m.accuracy(), 1e-12);
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(2, 1));
        assertEquals(2.0 / 3, m.precision(0), 1e-12);
        assertEquals(0.5, m.precision(1), 1e-12);
        assertEquals(0.5, m.recall(0), 1e-12);
        assertEquals(2.0 / 3, m.recall(1), 1e-12);
        assertEquals(4.0 / 7, m.f1(0), 1e-12);
        assertEquals(4.0 / 7, m.f1(1), 1e-12);
        assertEquals(2.0 / 3, m.f1(2), 1e-12);
        assertEquals(4, m.support(0));
        assertEquals(11.0 / 18, m.macroPrecision(), 1e-12);
        assertEquals(11.0 / 18, m.macroRecall(), 1e-12);
        assertEquals(38.0 / 63, m.macroF1(), 1e-12);
    }

    @Test
    void theTablesHaveTrueClassRowsAndPredictedClassColumns() {
        ConfusionMatrix m = ConfusionMatrix.of(LABELS, PREDICTIONS, NAMES);
        Table confusion = m.toTable();
        assertEquals(List.of("class", "cat", "dog", "bird"), confusion.columnNames());
        assertEquals(3, confusion.rowCount());
        assertEquals("dog", confusion.stringColumn("class").get(1));
        assertEquals(1, confusion.intColumn("cat").get(1), "one dog predicted as cat");
        assertEquals(0, confusion.intColumn("bird").get(1));

        Table perClass = m.perClassTable();
        assertEquals(List.of("class", "precision", "recall", "f1", "support"), perClass.columnNames());
        assertEquals(0.5, perClass.doubleColumn("precision").get(1), 1e-12);
        assertEquals(3, perClass.intColumn("support").get(2));
    }

    @Test
    void aClassNeverPredictedHasZeroPrecisionAndF1() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1, 2}, new int[] {0, 1, 1}, NAMES);
        assertEquals(0, m.precision(2));
        assertEquals(0, m.recall(2));
        assertEquals(0, m.f1(2));
        assertEquals(0.5, m.precision(1), 1e-12);
    }

    @Test
    void mismatchedOrOutOfRangeInputIsRejected() {
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {0}, NAMES));
        assertTrue(lengths.getMessage().contains("2 labels but 1 predictions"), lengths.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 0}, NAMES));
        assertTrue(range.getMessage().contains("Example 1 has label 3"), range.getMessage());
    }
}

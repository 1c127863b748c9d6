package io.github.rosettadl.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class HistoryTest {

    @TempDir
    Path dir;

    private static final EpochMetrics FIRST = new EpochMetrics(1, 0.5, 0.8, 0.4, 0.85, 2.0, 30000);
    private static final EpochMetrics SECOND = new EpochMetrics(2, 0.3, 0.9, Double.NaN, Double.NaN, 1.5, 40000);

    @Test
    void theTableHasTheDocumentedColumnsAndMissingValidationStaysMissing() throws IOException {
        History history = new History(List.of(FIRST, SECOND));
        Table table = history.toTable();
        assertEquals(History.COLUMNS, table.columnNames());
        assertEquals(List.of("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "seconds",
                "images_per_second"), table.columnNames());
        assertEquals(2, table.rowCount());
        assertEquals(0.85, table.doubleColumn("val_accuracy").get(0));
        assertTrue(table.doubleColumn("val_loss").isMissing(1));

        Path csv = dir.resolve("history.csv");
        history.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds,images_per_second", lines.get(0));
        assertEquals("1,0.5,0.8,0.4,0.85,2.0,30000.0", lines.get(1));
        assertEquals("2,0.3,0.9,,,1.5,40000.0", lines.get(2));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(csv), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void epochsMustFollowEachOther() {
        History history = new History();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> history.add(SECOND));
        assertTrue(e.getMessage().contains("expected epoch 1, got 2"), e.getMessage());
    }

    @Test
    void theConsoleBarDrawsInPlaceOnATerminalAndOnlySummariesElsewhere() {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ConsoleProgressBar bar = new ConsoleProgressBar(new PrintStream(terminal, true, StandardCharsets.UTF_8), true);
        bar.epochStarted(1, 2, 10);
        bar.stepsDone(5, 320, 0.61234, 1_000_000_000L);
        bar.epochEnded(FIRST);
        String drawn = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.startsWith("\repoch 1/2"), drawn);
        assertTrue(drawn.contains("5/10"), drawn);
        assertTrue(drawn.contains("loss 0.6123  320 img/s"), drawn);
        assertTrue(drawn.endsWith("epoch 1/2  loss 0.5000  acc 80.00%  val_loss 0.4000  val_acc 85.00%  2.0 s"
                + "  30,000 img/s" + System.lineSeparator()), drawn);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ConsoleProgressBar plain = new ConsoleProgressBar(new PrintStream(log, true, StandardCharsets.UTF_8), false);
        plain.epochStarted(2, 2, -1);
        plain.stepsDone(5, 320, 0.6, 1_000_000_000L);
        plain.epochEnded(SECOND);
        assertEquals("epoch 2/2  loss 0.3000  acc 90.00%  1.5 s  40,000 img/s" + System.lineSeparator(),
                log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badHyperparametersAreNamed() {
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.adam(0f));
        assertTrue(lr.getMessage().contains("learning rate must be a positive number, got 0.0"), lr.getMessage());
        IllegalArgumentException epochs = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.adam(1e-3f).withEpochs(0));
        assertTrue(epochs.getMessage().contains("Epochs must be at least 1, got 0"), epochs.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.sgd(0.1f).withMomentum(1f));
        assertEquals(OptimizerKind.SGD, OptimizerKind.parse(" SGD "));
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> OptimizerKind.parse("rmsprop"));
        assertEquals("Unknown optimizer 'rmsprop'. Valid: adam, sgd.", name.getMessage());
    }
}

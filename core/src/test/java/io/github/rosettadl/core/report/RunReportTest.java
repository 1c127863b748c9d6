package io.github.rosettadl.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.core.io.StorageException;
import io.github.rosettadl.core.metrics.ConfusionMatrix;
import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.Evaluation;
import io.github.rosettadl.core.training.History;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class RunReportTest {

    @TempDir
    Path tmp;

    private static History history() {
        History history = new History();
        history.add(new EpochMetrics(1, 0.9, 0.7, 0.8, 0.75, 1.0, 1000));
        history.add(new EpochMetrics(2, 0.5, 0.85, 0.6, 0.8, 1.0, 1000));
        return history;
    }

    private static void write(RunReport report) {
        int[] labels = {0, 1, 1, 0};
        int[] predictions = {0, 1, 0, 0};
        Evaluation test = new Evaluation(4, 0.6, 0.75, labels, predictions);
        ConfusionMatrix confusion = test.confusionMatrix(List.of("a", "b"));
        report.writeImageClassification("model on data", history(), test, confusion,
                List.of(new RunReport.Setting("model", "m")));
    }

    @Test
    void aFolderThatHoldsFilesIsRefusedAndKeptAsItIs() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(dir.resolve("model.ckpt"), "an earlier run's checkpoint");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunReport.forNewRun(dir, false));
        assertTrue(e.getMessage().contains("already holds files (model.ckpt)"), e.getMessage());
        assertTrue(e.getMessage().contains("--overwrite") && e.getMessage().contains("--resume"), e.getMessage());
        assertEquals("an earlier run's checkpoint", Files.readString(dir.resolve("model.ckpt")));
    }

    @Test
    void overwriteRemovesTheEarlierRunsFilesButNothingElse() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(dir.resolve("model.ckpt"), "old");
        Files.writeString(dir.resolve("notes.txt"), "the user's own file");
        write(RunReport.forNewRun(dir, true).open());
        assertFalse(Files.exists(dir.resolve("model.ckpt")), "no stale checkpoint beside the new report");
        assertEquals("the user's own file", Files.readString(dir.resolve("notes.txt")));
        for (String file : RunReport.FILES) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
    }

    @Test
    void nothingIsCreatedUntilTheRunOpensItsFolder() {
        Path dir = tmp.resolve("later/run");
        RunReport report = RunReport.forNewRun(dir, false);
        assertFalse(Files.exists(tmp.resolve("later")), "a run that fails before training leaves no folder");
        report.open();
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void aFolderUnderAFileIsRefusedBeforeAnythingRuns() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        StorageException e = assertThrows(StorageException.class, () -> RunReport.forNewRun(file.resolve("run"), false));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
        StorageException itself = assertThrows(StorageException.class, () -> RunReport.forNewRun(file, true));
        assertTrue(itself.getMessage().contains("is a file"), itself.getMessage());
    }

    @Test
    void theTemporaryFilesOfKilledWritesAreRemovedWhenTheRunGoesOn() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(dir.resolve("model.ckpt.tmp"), "half a checkpoint");
        Files.writeString(dir.resolve("model.ckpt3141592653.tmp"), "half a checkpoint, older naming");
        Files.writeString(dir.resolve("run.json"), "{}");
        RunReport.forResumedRun(dir).open();
        try (var files = Files.list(dir)) {
            assertEquals(List.of("run.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aReportThatCannotBeWrittenWholeWritesTheRestAndNamesWhatIsMissing() throws IOException {
        Path dir = tmp.resolve("run");
        RunReport report = RunReport.forNewRun(dir, false).open();
        // a folder where the chart's temporary file must go: that one write fails, as on a full disk
        Files.createDirectories(dir.resolve("loss.png.tmp").resolve("blocker"));
        ReportIncompleteException e = assertThrows(ReportIncompleteException.class, () -> write(report));
        assertTrue(e.getMessage().contains("loss.png"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(Files.size(dir.resolve("history.csv")) > 0);
        assertTrue(Files.size(dir.resolve("accuracy.png")) > 0);
        assertFalse(Files.exists(dir.resolve("loss.png")));
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("Not written: loss.png"));
    }
}

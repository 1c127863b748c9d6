package io.github.rosettadl.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.core.training.EpochMetrics;
import io.github.rosettadl.core.training.History;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Report files whose folder the machine takes away: reported as storage problems, nothing half-written. */
class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void historyIntoAFolderThatVanishedIsAStorageProblemNamingTheFile() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.delete(run);
        History history = new History(List.of(new EpochMetrics(1, 0.5, 0.8, 0.4, 0.85, 2.0, 30000)));

        // tablesaw wraps the disk's FileNotFoundException in its own unchecked exception
        StorageException e = assertThrows(StorageException.class, () -> history.writeCsv(run.resolve("history.csv")));

        assertTrue(e.getMessage().startsWith("Cannot write " + run.resolve("history.csv")
                + ": no such file or directory."), e.getMessage());
        assertFalse(Files.exists(run));
    }

    @Test
    void folderInTheWayIsAStorageProblemAndTheOldFileIsKept() throws IOException {
        Path target = Files.writeString(dir.resolve("summary.txt"), "old");
        Files.createDirectories(dir.resolve("summary.txt.tmp").resolve("child"));

        StorageException e = assertThrows(StorageException.class,
                () -> AtomicFile.write(target, temp -> Files.writeString(temp, "new")));

        assertTrue(e.getMessage().startsWith("Cannot write " + target + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("the old summary.txt, if any, is kept"), e.getMessage());
        assertEquals("old", Files.readString(target));
    }

    @Test
    void aFailureOfTheWriterItselfIsNotCalledAStorageProblem() {
        Path target = dir.resolve("page.md");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AtomicFile.write(target, temp -> {
            Files.writeString(temp, "half");
            throw new IllegalStateException("a bug in the writer");
        }));

        assertEquals("a bug in the writer", e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(dir.resolve("page.md.tmp")), "the temporary file is removed");
    }
}

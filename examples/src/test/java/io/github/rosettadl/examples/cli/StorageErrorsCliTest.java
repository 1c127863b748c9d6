package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the commands do when the machine, not the user's flags, stands in the way: a folder that
 * cannot be written, a full disk, a results file that may not be read, more threads than cores.
 * Each exits 2 (the user can fix it) naming the path or flag, keeps what was there, or warns.
 */
class StorageErrorsCliTest {

    private static final String GOOD_PAGE = "# Results\n\nA good page with its rows.\n";

    @TempDir
    Path tmp;

    private CliRun results(Path page, String... extra) {
        return CliRun.of(RosettaCli.withPrefix(extra, "results", "--output", page.toString(), "--runs-dir",
                tmp.resolve("runs").toString(), "--offline", "--cache-dir", tmp.resolve("cache").toString(),
                "--device", "cpu", "--threads", "1"));
    }

    @Test
    void renderOnlyWithoutAStoreRefusesAndKeepsTheGoodPage() throws IOException {
        Path page = Files.writeString(Files.createDirectories(tmp.resolve("docs")).resolve("RESULTS.md"), GOOD_PAGE);

        CliRun run = results(page, "--render-only");

        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err() + run.out());
        assertTrue(run.err().contains("looked for them in " + tmp.resolve("docs/results/results.json")
                + ", which does not exist"), run.err());
        assertTrue(run.err().contains(page + " is left as it is"), run.err());
        assertEquals(GOOD_PAGE, Files.readString(page));
    }

    @Test
    void renderOnlyWithAnEmptyStoreRefusesAndKeepsTheGoodPage() throws IOException {
        Path page = Files.writeString(Files.createDirectories(tmp.resolve("docs")).resolve("RESULTS.md"), GOOD_PAGE);
        Path store = Files.writeString(Files.createDirectories(tmp.resolve("docs/results")).resolve("results.json"),
                "[]\n");

        CliRun run = results(page, "--render-only");

        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err() + run.out());
        assertTrue(run.err().contains("looked for them in " + store + ", which holds none"), run.err());
        assertEquals(GOOD_PAGE, Files.readString(page));
        assertEquals("[]\n", Files.readString(store));
    }

    @Test
    void resultsIntoAReadOnlyFolderExitsTwoBeforeTrainingInARealProcess() throws Exception {
        Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
        try (AutoCloseable restore = readOnlyFolder(readOnly)) {
            Path page = readOnly.resolve("docs/RESULTS.md");

            Child child = Child.run(tmp, List.of(), "results", "--only", "linear-regression/seed", "--output",
                    page.toString(), "--runs-dir", tmp.resolve("runs").toString(), "--device", "cpu", "--threads", "1");

            assertEquals(RosettaCli.EXIT_BAD_INPUT, child.exitCode(), child.err() + child.out());
            assertTrue(child.err().contains("Error: Cannot write to " + readOnly.resolve("docs")), child.err());
            assertTrue(child.err().contains("read-only file system") || child.err().contains("permission denied"),
                    child.err());
            assertTrue(child.err().contains("Choose a page in a writable folder with --output."), child.err());
            assertFalse(child.out().contains("=== [1/1]"), "refused before training:\n" + child.out());
            assertFalse(child.err().contains("\tat "), "no stack trace:\n" + child.err());
        }
    }

    @Test
    void runsDirThatCannotBeAFolderExitsTwoBeforeTraining() throws IOException {
        Path notAFolder = Files.writeString(tmp.resolve("runs-file"), "x");

        CliRun run = CliRun.of("results", "--only", "linear-regression/seed", "--output",
                tmp.resolve("docs/RESULTS.md").toString(), "--runs-dir", notAFolder.resolve("results").toString(),
                "--device", "cpu", "--threads", "1");

        assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err() + run.out());
        assertTrue(run.err().contains(notAFolder + " is a file, not a folder. Choose a writable folder with"
                + " --runs-dir."), run.err());
        assertFalse(run.out().contains("=== [1/1]"), run.out());
        assertFalse(Files.exists(tmp.resolve("docs")), "nothing is written for a run that cannot start");
    }

    @Test
    void fullDiskWhenStoringARowExitsTwoAndKeepsTheStoredRowsAndPage() throws Exception {
        try (SmallTmpfs disk = SmallTmpfs.mount(tmp.resolve("small-disk"), 128)) {
            Path page = disk.dir().resolve("RESULTS.md");
            CliRun first = results(page, "--only", "linear-regression/seed");
            assertEquals(0, first.exitCode(), first.err());
            Path store = disk.dir().resolve("results/results.json");
            String rows = Files.readString(store);
            String written = Files.readString(page);
            disk.fill();

            CliRun second = results(page, "--only", "linear-regression/converging");

            assertEquals(RosettaCli.EXIT_BAD_INPUT, second.exitCode(), second.err() + second.out());
            assertTrue(second.err().contains("Cannot write " + store + ": no space left on device"), second.err());
            assertTrue(second.err().contains("the old results.json, if any, is kept"), second.err());
            assertEquals(rows, Files.readString(store));
            assertEquals(written, Files.readString(page));
            try (var left = Files.list(store.getParent())) {
                assertEquals(List.of("results.json", "results.json.lock"),
                        left.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file is left");
            }
        }
    }

    @Test
    void unreadableResultsFileIsNotAdvisedAway() throws IOException {
        Path page = Files.writeString(Files.createDirectories(tmp.resolve("docs")).resolve("RESULTS.md"), GOOD_PAGE);
        Path store = Files.writeString(Files.createDirectories(tmp.resolve("docs/results")).resolve("results.json"),
                "[]\n");
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(store), "running as root, which permission bits do not stop;"
                    + " resultsIntoAReadOnlyFolderExitsTwoBeforeTrainingInARealProcess covers a refused folder as root");

            CliRun run = results(page, "--render-only");

            assertEquals(RosettaCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
            assertTrue(run.err().contains("Cannot read the results file " + store + ": permission denied"), run.err());
            assertFalse(run.err().contains("Move it away"), run.err());
        } finally {
            Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Test
    void threadsAboveTheCoresWarnOnceOnStandardErrorInARealProcess() throws Exception {
        List<String> oneCore = List.of("-XX:ActiveProcessorCount=1");

        Child above = Child.run(tmp, oneCore, "linear-regression", "--preset", "seed", "--steps", "5", "--device", "cpu",
                "--threads", "3");
        Child within = Child.run(tmp, oneCore, "linear-regression", "--preset", "seed", "--steps", "5", "--device",
                "cpu", "--threads", "1");

        assertEquals(0, above.exitCode(), above.err());
        List<String> warnings = above.err().lines().filter(l -> l.startsWith("Warning: --threads")).toList();
        assertEquals(List.of("Warning: --threads 3 is more than the 1 core this machine has; the threads take turns"
                + " and training can run many times slower. Use --threads 1 or fewer."), warnings);
        assertFalse(above.out().contains("Warning"), "the warning goes to standard error only");
        assertEquals(0, within.exitCode(), within.err());
        assertFalse(within.err().contains("Warning: --threads"), within.err());
    }

    /**
     * Makes {@code dir} unwritable for this process: permission bits, or, as root (whom they do not
     * stop), a read-only tmpfs mounted on it. Closing it restores the folder.
     */
    private static AutoCloseable readOnlyFolder(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!Files.isWritable(dir)) {
            return () -> Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        SmallTmpfs disk = SmallTmpfs.mount(dir, 64);
        disk.remountReadOnly();
        return disk;
    }

    /** A real {@code rosetta} process: its exit code and both streams. */
    private record Child(int exitCode, String out, String err) {

        static Child run(Path tmp, List<String> jvmFlags, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(AllocatorRelaunch.command(RosettaCli.class, args));
            command.addAll(1, jvmFlags);
            Path out = Files.createTempFile(tmp, "child-", ".out");
            Path err = Files.createTempFile(tmp, "child-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("ROSETTA_RELAUNCH", "false");
            builder.environment().put("DJL_OFFLINE", "true");
            builder.environment().put("OPT_OUT_TRACKING", "true");
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("rosetta " + String.join(" ", args) + " did not finish");
            }
            return new Child(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }
    }
}

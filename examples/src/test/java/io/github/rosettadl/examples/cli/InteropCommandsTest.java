package io.github.rosettadl.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rosettadl.examples.SharedData;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code export} and {@code import}: a checkpoint to .npz and back, and every way the input can be wrong. */
class InteropCommandsTest {

    @TempDir
    static Path tmp;

    private static Path checkpoint;
    private static Path npz;

    @BeforeAll
    static void trainAndExportASmallCnn() {
        Path data = SharedData.requireMnist();
        CliRun train = CliRun.of("train", "simple-cnn", "--dataset", "mnist", "--data-dir", data.toString(), "--offline",
                "--limit", "512", "--epochs", "1", "--device", "cpu", "--save-model",
                "--output-dir", tmp.resolve("cnn").toString());
        assertEquals(0, train.exitCode(), train.err());
        checkpoint = tmp.resolve("cnn/model.ckpt");
        npz = tmp.resolve("cnn.npz");
        CliRun export = CliRun.of("export", checkpoint.toString(), npz.toString(), "--device", "cpu");
        assertEquals(0, export.exitCode(), export.err());
        assertTrue(export.out().contains("Wrote the 6 weight tensors of simple-cnn (mnist, epoch 1)"), export.out());
        assertTrue(export.out().contains("pytorch/predict_npz.py " + npz + " --model simple-cnn --dataset mnist"),
                export.out());
    }

    static CliRun run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--device", "cpu"));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static CliRun evaluate(Path model, Path predictions, String... more) {
        List<String> args = new ArrayList<>(List.of("evaluate", model.toString(), "--data-dir",
                SharedData.dir().toString(), "--offline", "--predictions", predictions.toString(), "--overwrite"));
        args.addAll(Arrays.asList(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void exportThenImportGivesTheSamePredictionsOnEveryTestImage() throws IOException {
        Path imported = tmp.resolve("imported.ckpt");
        CliRun in = run("import", npz.toString(), "--model", "simple-cnn", "--dataset", "mnist", "--output",
                imported.toString(), "--data-dir", SharedData.dir().toString(), "--offline");
        assertEquals(0, in.exitCode(), in.err());
        assertTrue(in.out().contains("simple-cnn on MNIST"), in.out());

        CliRun original = evaluate(checkpoint, tmp.resolve("original.txt"));
        CliRun back = evaluate(imported, tmp.resolve("imported.txt"));
        assertEquals(0, original.exitCode(), original.err());
        assertEquals(0, back.exitCode(), back.err());
        List<String> expected = Files.readAllLines(tmp.resolve("original.txt"));
        assertTrue(original.out().contains("on " + String.format(Locale.ROOT, "%,d", expected.size()) + " images"),
                "one line per test image: " + original.out());
        assertTrue(expected.stream().allMatch(line -> line.matches("[0-9]")), "class indices");
        assertEquals(expected, Files.readAllLines(tmp.resolve("imported.txt")));
        // the same weights give the same accuracy and loss to the last digit
        assertEquals(accuracyLine(original.out()), accuracyLine(back.out()));
    }

    private static String accuracyLine(String out) {
        String line = out.lines().findFirst().orElseThrow();
        return line.substring(line.indexOf("test accuracy"));
    }

    @Test
    void exportAndImportRefuseToOverwriteWithoutTheFlag() throws IOException {
        Path existing = Files.writeString(tmp.resolve("existing.npz"), "keep me");
        CliRun export = run("export", checkpoint.toString(), existing.toString());
        assertEquals(RosettaCli.EXIT_BAD_INPUT, export.exitCode(), export.err());
        assertTrue(export.err().contains(existing + " exists; pass --overwrite"), export.err());
        assertEquals("keep me", Files.readString(existing));

        Path existingCheckpoint = Files.writeString(tmp.resolve("existing.ckpt"), "keep me too");
        CliRun in = run("import", npz.toString(), "--model", "simple-cnn", "--output", existingCheckpoint.toString(),
                "--data-dir", SharedData.dir().toString(), "--offline");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, in.exitCode(), in.err());
        assertTrue(in.err().contains(existingCheckpoint + " exists; pass --overwrite"), in.err());
        assertEquals("keep me too", Files.readString(existingCheckpoint));

        CliRun replaced = run("export", checkpoint.toString(), existing.toString(), "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertEquals(Files.size(npz), Files.size(existing));
    }

    @Test
    void importOfWeightsThatDoNotFitNamesTheTensorsAndExitsTwo() throws IOException {
        byte[] bytes = Files.readAllBytes(npz);
        Path truncated = Files.write(tmp.resolve("truncated.npz"), Arrays.copyOf(bytes, bytes.length / 3));
        String[][] cases = {
            // another model: its tensors are missing and these are extra
            {npz.toString(), "mlp", "mnist", "missing tensor(s) dense.weight (128, 784)"},
            {npz.toString(), "mlp", "mnist", "unexpected tensor(s) conv1.weight (32, 1, 3, 3)"},
            // the right model for another image shape
            {npz.toString(), "simple-cnn", "cifar10", "tensor conv1.weight has shape (32, 1, 3, 3), the model expects"
                    + " (32, 3, 3, 3)"},
            {truncated.toString(), "simple-cnn", "mnist", "damaged or truncated"},
            {tmp.resolve("nope.npz").toString(), "simple-cnn", "mnist", "no such file"},
            {npz.toString(), "resnet", "mnist", "Unknown --model 'resnet'. Valid: softmax-regression, mlp"},
        };
        for (String[] c : cases) {
            Path output = tmp.resolve("refused.ckpt");
            CliRun in = run("import", c[0], "--model", c[1], "--dataset", c[2], "--output", output.toString(),
                    "--data-dir", SharedData.dir().toString(), "--offline");
            String what = String.join(" ", c) + ": " + in.err();
            assertEquals(RosettaCli.EXIT_BAD_INPUT, in.exitCode(), what);
            assertTrue(in.err().contains(c[3]), what);
            assertTrue(c[1].equals("resnet") || in.err().contains(c[0]), "names the file: " + what);
            assertFalse(in.err().contains("\tat "), what);
            assertFalse(Files.exists(output), "nothing is written: " + what);
        }
    }

    @Test
    void exportOfAnythingButAnImageCheckpointExitsTwo() throws IOException {
        Path charRnn = Path.of("..", "core", "src", "test", "resources", "io", "github", "rosettadl", "core", "predict",
                "char-rnn-format1.ckpt");
        CliRun text = run("export", charRnn.toString(), tmp.resolve("char.npz").toString());
        assertEquals(RosettaCli.EXIT_BAD_INPUT, text.exitCode(), text.err());
        assertTrue(text.err().contains("not an image model"), text.err());

        Path notACheckpoint = Files.writeString(tmp.resolve("notes.ckpt"), "not a checkpoint");
        CliRun junk = run("export", notACheckpoint.toString(), tmp.resolve("junk.npz").toString());
        assertEquals(RosettaCli.EXIT_BAD_INPUT, junk.exitCode(), junk.err());
        assertTrue(junk.err().contains(notACheckpoint.toString()), junk.err());
        assertFalse(Files.exists(tmp.resolve("junk.npz")));
    }

    @Test
    void datasetIsForTorchScriptOnly() throws IOException {
        CliRun evaluate = run("evaluate", checkpoint.toString(), "--dataset", "mnist", "--data-dir",
                SharedData.dir().toString(), "--offline");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.err().contains("--dataset is for TorchScript files only"), evaluate.err());

        Path predictions = Files.writeString(tmp.resolve("kept.txt"), "kept");
        CliRun refused = run("evaluate", checkpoint.toString(), "--predictions", predictions.toString(),
                "--data-dir", SharedData.dir().toString(), "--offline");
        assertEquals(RosettaCli.EXIT_BAD_INPUT, refused.exitCode(), refused.err());
        assertEquals("kept", Files.readString(predictions));
    }
}

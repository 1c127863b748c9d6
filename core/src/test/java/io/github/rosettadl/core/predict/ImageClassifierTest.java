package io.github.rosettadl.core.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.Normalization;
import io.github.rosettadl.core.models.ImageShape;
import io.github.rosettadl.core.models.SimpleCNN;
import io.github.rosettadl.core.models.SoftmaxRegression;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.testing.GeneratedImages;
import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.core.training.TrainingSession;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

class ImageClassifierTest {

    private static final List<String> NAMES = List.of("zero", "one", "two", "three");

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    /** Trains on generated images, saves a checkpoint and writes each class's clean image, twice as large. */
    private Path trainAndSave(ImageShape shape, GeneratedImages data, boolean cnn) throws IOException {
        Path file = dir.resolve("model.ckpt");
        try (TrainingSession session = TrainingSession.start(
                cnn ? new SimpleCNN.Spec(shape, 4) : new SoftmaxRegression.Spec(shape, 4),
                TrainingConfig.adam(3e-3f).withEpochs(3), Device.cpu())) {
            session.fit(data, null);
            Checkpoint.save(file, session, new DataDescription("generated", NAMES,
                    Normalization.divideBy255(shape.channels())));
        }
        for (int c = 0; c < 4; c++) {
            ImageIO.write(picture(data.mean(c), shape, 2), "png", dir.resolve("class" + c + ".png").toFile());
        }
        return file;
    }

    /** Renders CHW values in [0, 1] as an RGB picture scaled up by a whole factor. */
    private static BufferedImage picture(float[] chw, ImageShape shape, int scale) {
        int h = shape.height();
        int w = shape.width();
        BufferedImage image = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int i = (y / scale) * w + x / scale;
                int[] rgb = new int[3];
                for (int ch = 0; ch < 3; ch++) {
                    float v = chw[(shape.channels() == 1 ? 0 : ch) * h * w + i];
                    rgb[ch] = Math.round(Math.max(0, Math.min(1, v)) * 255);
                }
                image.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
            }
        }
        return image;
    }

    @Test
    void greyModelsReadColourFilesOfAnotherSizeAndRankTheRightClassFirst() throws IOException {
        ImageShape shape = new ImageShape(1, 10, 10);
        Path file = trainAndSave(shape, new GeneratedImages(shape, 4, 400, 20, 21), false);
        try (ImageClassifier classifier = ImageClassifier.load(file, Device.cpu())) {
            assertEquals(shape, classifier.inputShape());
            for (int c = 0; c < 4; c++) {
                List<Prediction> top = classifier.predict(dir.resolve("class" + c + ".png"), 3);
                assertEquals(3, top.size());
                assertEquals(c, top.get(0).classIndex(), top.toString());
                assertEquals(NAMES.get(c), top.get(0).className());
                assertTrue(top.get(0).probability() >= top.get(1).probability()
                        && top.get(1).probability() >= top.get(2).probability(), top.toString());
            }
            List<Prediction> all = classifier.predict(ImageIO.read(dir.resolve("class0.png").toFile()), 10);
            assertEquals(4, all.size(), "k is capped at the class count");
            assertEquals(1.0, all.stream().mapToDouble(Prediction::probability).sum(), 1e-5);
        }
    }

    @Test
    void rgbModelsKeepTheColourChannels() throws IOException {
        ImageShape shape = new ImageShape(3, 8, 8);
        Path file = trainAndSave(shape, new GeneratedImages(shape, 4, 400, 20, 22), true);
        try (ImageClassifier classifier = ImageClassifier.load(file, Device.cpu())) {
            for (int c = 0; c < 4; c++) {
                assertEquals(c, classifier.predict(dir.resolve("class" + c + ".png"), 1).get(0).classIndex());
            }
        }
    }

    @Test
    void anUnreadableImageNamesTheFile() throws IOException {
        ImageShape shape = new ImageShape(1, 10, 10);
        Path file = trainAndSave(shape, new GeneratedImages(shape, 4, 40, 20, 23), false);
        Path notAnImage = Files.writeString(dir.resolve("digit.png"), "this is text, not a PNG");
        Path missing = dir.resolve("missing.png");
        try (ImageClassifier classifier = ImageClassifier.load(file, Device.cpu())) {
            UncheckedIOException bad = assertThrows(UncheckedIOException.class, () -> classifier.predict(notAnImage, 1));
            assertTrue(bad.getMessage().contains(notAnImage.toString()) && bad.getMessage().contains("not a PNG"),
                    bad.getMessage());
            UncheckedIOException gone = assertThrows(UncheckedIOException.class, () -> classifier.predict(missing, 1));
            assertTrue(gone.getMessage().contains(missing + " does not exist"), gone.getMessage());
            assertThrows(IllegalArgumentException.class, () -> classifier.predict(new BufferedImage(3, 3,
                    BufferedImage.TYPE_INT_RGB), 0));
        }
    }
}

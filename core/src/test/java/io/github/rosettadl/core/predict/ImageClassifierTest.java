package io.github.rosettadl.core.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void badArgumentsFailInsteadOfPredicting() throws IOException {
        ImageShape shape = new ImageShape(1, 10, 10);
        Path file = trainAndSave(shape, new GeneratedImages(shape, 4, 40, 20, 24), false);
        Path image = dir.resolve("class0.png");
        BufferedImage picture = ImageIO.read(image.toFile());
        ImageClassifier classifier = ImageClassifier.load(file, Device.cpu());
        try (classifier) {
            NullPointerException none = assertThrows(NullPointerException.class,
                    () -> classifier.predict((BufferedImage) null, 1));
            assertTrue(none.getMessage().contains("image to predict is null"), none.getMessage());
            assertThrows(NullPointerException.class, () -> classifier.predict((Path) null, 1));
            assertThrows(NullPointerException.class, () -> classifier.classify((BufferedImage) null, 1));
            for (int k : new int[] {0, -1, Integer.MIN_VALUE}) {
                IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                        () -> classifier.predict(picture, k));
                assertTrue(bad.getMessage().contains("k must be at least 1, got " + k), bad.getMessage());
                // k is checked before the file is read
                assertThrows(IllegalArgumentException.class, () -> classifier.predict(dir.resolve("missing.png"), k));
            }
            assertEquals(4, classifier.predict(picture, Integer.MAX_VALUE).size());
            assertFalse(classifier.expectsDarkBackground(), "generated data has no known background");
            assertFalse(classifier.classify(picture, 1).inverted());
        }
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> classifier.predict(picture, 1));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        classifier.close(); // a second close is harmless
        assertThrows(NullPointerException.class, () -> ImageClassifier.load(null, Device.cpu()));
        assertThrows(NullPointerException.class, () -> ImageClassifier.load(file, null));
    }

    @Test
    void theBorderTellsALightBackgroundAndInversionFlipsEveryPixel() {
        ImageShape shape = new ImageShape(1, 4, 4);
        BufferedImage paper = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                boolean ink = x >= 10 && x < 30 && y >= 10 && y < 30;
                paper.setRGB(x, y, ink ? 0x000000 : 0xffffff);
            }
        }
        assertEquals(255, ImageConversion.borderBrightness(paper, shape), 1e-9);
        Normalization scale = Normalization.divideBy255(1);
        float[] plain = ImageConversion.toChw(paper, shape, scale);
        float[] inverted = ImageConversion.toChw(paper, shape, scale, true);
        for (int i = 0; i < plain.length; i++) {
            assertEquals(1 - plain[i], inverted[i], 1e-6, "pixel " + i);
        }
        assertEquals(0, inverted[0], "the white corner turns black");
        assertEquals(1, inverted[5], "the black middle turns white");
        BufferedImage transparent = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        assertEquals(0, ImageConversion.borderBrightness(transparent, shape), 1e-9, "transparent is black");
    }
}

package io.github.rosettadl.core.predict;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.checkpoint.Normalization;
import io.github.rosettadl.core.models.ImageModelSpec;
import io.github.rosettadl.core.models.ImageShape;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Predicts the top-k classes of images with a model loaded from a checkpoint.
 *
 * <pre>{@code
 * try (ImageClassifier classifier = ImageClassifier.load(Path.of("mnist-cnn.ckpt"), Device.cpu())) {
 *     for (Prediction p : classifier.predict(Path.of("digit.png"), 3)) {
 *         System.out.printf("%s %.3f%n", p.className(), p.probability());
 *     }
 * }
 * }</pre>
 */
public final class ImageClassifier implements AutoCloseable {

    private final LoadedCheckpoint checkpoint;
    private final ImageShape shape;
    private final Normalization normalization;
    private final List<String> classNames;
    private final NDManager manager;

    private ImageClassifier(LoadedCheckpoint checkpoint) {
        CheckpointDescription d = checkpoint.description();
        if (!(d.model() instanceof ImageModelSpec spec) || d.data().normalization() == null) {
            throw new IllegalArgumentException("The checkpoint holds " + d.model().modelName()
                    + ", not an image classifier with a normalisation.");
        }
        this.checkpoint = checkpoint;
        this.shape = spec.input();
        this.normalization = d.data().normalization();
        this.classNames = d.data().classNames();
        this.manager = checkpoint.model().getNDManager().newSubManager();
    }

    /**
     * Loads a classifier from a checkpoint.
     *
     * @param file the checkpoint
     * @param device where to run the model
     * @return the classifier; the caller closes it
     * @throws io.github.rosettadl.core.checkpoint.CheckpointException when the checkpoint cannot be loaded
     * @throws IllegalArgumentException when it holds no image classifier
     */
    public static ImageClassifier load(Path file, Device device) {
        LoadedCheckpoint loaded = Checkpoint.load(file, device);
        try {
            return new ImageClassifier(loaded);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /**
     * Reads an image file (PNG, JPEG, GIF or BMP) and predicts its top classes.
     *
     * @param imageFile the image
     * @param k how many classes to return, at most the class count
     * @return the top classes, most probable first
     * @throws UncheckedIOException naming the file when it is missing or not a readable image
     */
    public List<Prediction> predict(Path imageFile, int k) {
        return predict(read(imageFile), k);
    }

    /**
     * Predicts an image's top classes.
     *
     * @param image any image; it is resized and converted to the model's input
     * @param k how many classes to return, at most the class count
     * @return the top classes, most probable first
     * @throws IllegalArgumentException when k is below 1
     */
    public List<Prediction> predict(BufferedImage image, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k + ".");
        }
        float[] probabilities = probabilities(image);
        Integer[] order = new Integer[probabilities.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed());
        List<Prediction> top = new ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            top.add(new Prediction(order[i], classNames.get(order[i]), probabilities[order[i]]));
        }
        return top;
    }

    private float[] probabilities(BufferedImage image) {
        float[] chw = ImageConversion.toChw(image, shape, normalization);
        JniUtils.setGradMode(false);
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(chw, shape.withBatch(1));
            NDArray logits = checkpoint.model().getBlock()
                    .forward(new ParameterStore(step, false), new NDList(x), false).head();
            return logits.softmax(1).toFloatArray();
        }
    }

    private static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new IOException("Image file " + file + " does not exist."));
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("Cannot read image " + file + ": " + e.getMessage(), e));
        }
        if (image == null) {
            throw new UncheckedIOException(new IOException("Cannot read image " + file
                    + ": it is not a PNG, JPEG, GIF or BMP image, or it is damaged."));
        }
        return image;
    }

    /**
     * The image shape the model takes.
     *
     * @return channels, height and width
     */
    public ImageShape inputShape() {
        return shape;
    }

    /**
     * The class names.
     *
     * @return one name per class
     */
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public void close() {
        manager.close();
        checkpoint.close();
    }
}

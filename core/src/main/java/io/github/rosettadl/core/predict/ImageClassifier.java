package io.github.rosettadl.core.predict;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.checkpoint.DataDescription;
import io.github.rosettadl.core.checkpoint.KnownDataset;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.checkpoint.Normalization;
import io.github.rosettadl.core.interop.TorchScriptModels;
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
import java.util.Objects;

import javax.imageio.ImageIO;

/**
 * Predicts the top-k classes of images with a model loaded from a checkpoint, or with a TorchScript
 * module traced in Python ({@link #loadTorchScript}).
 *
 * <pre>{@code
 * try (ImageClassifier classifier = ImageClassifier.load(Path.of("mnist-cnn.ckpt"), Device.cpu())) {
 *     for (Prediction p : classifier.predict(Path.of("digit.png"), 3)) {
 *         System.out.printf("%s %.3f%n", p.className(), p.probability());
 *     }
 * }
 * }</pre>
 *
 * <p>MNIST and Fashion-MNIST show light strokes on a black background. A model trained on them
 * answers confidently and wrongly for a dark digit on white paper, so when the checkpoint's data set
 * has a dark background and an image's border is light, the image is inverted before predicting;
 * {@link #classify(BufferedImage, int)} says when it was.
 */
public final class ImageClassifier implements AutoCloseable {

    /** A border brighter than mid-grey is a light background. */
    private static final double LIGHT_BORDER = 127.5;

    private final Model model;
    private final ImageShape shape;
    private final Normalization normalization;
    private final List<String> classNames;
    private final NDManager manager;
    private final boolean darkBackground;
    private boolean closed;

    private ImageClassifier(Model model, ImageShape shape, DataDescription data) {
        if (data.normalization() == null) {
            throw new IllegalArgumentException("The data description of " + data.dataset() + " has no normalisation.");
        }
        if (data.classNames().size() < 2) {
            throw new IllegalArgumentException("A classifier needs at least 2 class names, got " + data.classNames()
                    + ".");
        }
        this.model = model;
        this.shape = shape;
        this.normalization = data.normalization();
        this.classNames = data.classNames();
        this.manager = model.getNDManager().newSubManager();
        this.darkBackground = KnownDataset.named(data.dataset()).map(KnownDataset::darkBackground).orElse(false);
    }

    private static ImageClassifier of(LoadedCheckpoint checkpoint) {
        CheckpointDescription d = checkpoint.description();
        if (!(d.model() instanceof ImageModelSpec spec) || d.data().normalization() == null) {
            throw new IllegalArgumentException("The checkpoint holds " + d.model().modelName()
                    + ", not an image classifier with a normalisation.");
        }
        return new ImageClassifier(checkpoint.model(), spec.input(), d.data());
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
        Objects.requireNonNull(file, "The checkpoint file is null.");
        Objects.requireNonNull(device, "The device is null.");
        LoadedCheckpoint loaded = Checkpoint.load(file, device);
        try {
            return of(loaded);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /**
     * Loads a classifier from a TorchScript file traced in Python, for example from a twin in
     * {@code pytorch/image_twins.py} with {@code pytorch/trace_twin.py}. The module must take float32
     * {@code (N, C, H, W)} images, prepared as {@code data} says, and return one logit per class.
     *
     * @param file the TorchScript file
     * @param shape the image shape the module takes
     * @param data the data set, its class names and the normalisation the module was trained with
     * @param device where to run the module
     * @return the classifier; the caller closes it
     * @throws io.github.rosettadl.core.interop.WeightsFileException when the file is missing or not TorchScript
     * @throws IllegalArgumentException when the module does not give one logit per class name for an
     *     image of that shape
     */
    public static ImageClassifier loadTorchScript(Path file, ImageShape shape, DataDescription data, Device device) {
        Objects.requireNonNull(shape, "The image shape is null.");
        Objects.requireNonNull(data, "The data description is null.");
        Model loaded = TorchScriptModels.load(file, device);
        try {
            ImageClassifier classifier = new ImageClassifier(loaded, shape, data);
            int outputs = classifier.probabilities(new BufferedImage(shape.width(), shape.height(),
                    BufferedImage.TYPE_INT_RGB), false).length;
            if (outputs != data.classNames().size()) {
                throw new IllegalArgumentException("TorchScript file " + file + " gives " + outputs + " outputs for a "
                        + shape + " image, but " + data.dataset() + " has " + data.classNames().size() + " classes.");
            }
            return classifier;
        } catch (EngineException e) {
            loaded.close();
            throw new IllegalArgumentException("TorchScript file " + file + " fails on a float32 " + shape.withBatch(1)
                    + " batch, the input of a " + data.dataset() + " model: " + e.getMessage(), e);
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
     * @throws IllegalArgumentException when k is below 1
     * @throws NullPointerException when the file is null
     * @throws IllegalStateException when the classifier is closed
     */
    public List<Prediction> predict(Path imageFile, int k) {
        return classify(imageFile, k).top();
    }

    /**
     * Reads an image file and predicts its top classes, saying whether it was inverted.
     *
     * @param imageFile the image (PNG, JPEG, GIF or BMP)
     * @param k how many classes to return, at most the class count
     * @return the top classes and whether the image was inverted
     * @throws UncheckedIOException naming the file when it is missing or not a readable image
     * @throws IllegalArgumentException when k is below 1
     * @throws NullPointerException when the file is null
     * @throws IllegalStateException when the classifier is closed
     */
    public Classification classify(Path imageFile, int k) {
        Objects.requireNonNull(imageFile, "The image file is null.");
        checkArguments(k);
        return classify(read(imageFile), k);
    }

    /**
     * Predicts an image's top classes.
     *
     * @param image any image; it is resized and converted to the model's input
     * @param k how many classes to return, at most the class count
     * @return the top classes, most probable first
     * @throws IllegalArgumentException when k is below 1
     * @throws NullPointerException when the image is null
     * @throws IllegalStateException when the classifier is closed
     */
    public List<Prediction> predict(BufferedImage image, int k) {
        return classify(image, k).top();
    }

    /**
     * Predicts an image's top classes, inverting it first when it has a light background and the
     * model was trained on dark ones.
     *
     * @param image any image; it is resized and converted to the model's input
     * @param k how many classes to return, at most the class count
     * @return the top classes and whether the image was inverted
     * @throws IllegalArgumentException when k is below 1
     * @throws NullPointerException when the image is null
     * @throws IllegalStateException when the classifier is closed
     */
    public Classification classify(BufferedImage image, int k) {
        Objects.requireNonNull(image, "The image to predict is null.");
        checkArguments(k);
        boolean invert = darkBackground && ImageConversion.borderBrightness(image, shape) > LIGHT_BORDER;
        float[] probabilities = probabilities(image, invert);
        Integer[] order = new Integer[probabilities.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed());
        List<Prediction> top = new ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            top.add(new Prediction(order[i], classNames.get(order[i]), probabilities[order[i]]));
        }
        return new Classification(top, invert);
    }

    private void checkArguments(int k) {
        if (closed) {
            throw new IllegalStateException("This classifier is closed; load it again.");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k + ".");
        }
    }

    private float[] probabilities(BufferedImage image, boolean invert) {
        float[] chw = ImageConversion.toChw(image, shape, normalization, invert);
        JniUtils.setGradMode(false);
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(chw, shape.withBatch(1));
            NDArray logits = model.getBlock()
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

    /**
     * Whether the model was trained on light shapes on a dark background (MNIST, Fashion-MNIST), so
     * that images with a light background are inverted.
     *
     * @return true for a checkpoint trained on such a data set
     */
    public boolean expectsDarkBackground() {
        return darkBackground;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
            model.close();
        }
    }
}

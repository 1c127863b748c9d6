package io.github.rosettadl.core.checkpoint;

import io.github.rosettadl.core.models.ImageShape;

import java.util.Locale;
import java.util.Optional;

/**
 * The image data sets whose names {@code train --save-model} writes into {@link
 * DataDescription#dataset()}, with what a checkpoint trained on them must agree with: the image
 * shape, the class count, and whether the images are light strokes on a dark background (so that
 * prediction can tell when a picture has the other polarity).
 */
public enum KnownDataset {
    /** Handwritten digits, white on black. */
    MNIST("mnist", new ImageShape(1, 28, 28), 10, true),
    /** Clothing photographed light on a black background. */
    FASHION_MNIST("fashion-mnist", new ImageShape(1, 28, 28), 10, true),
    /** Colour photos with every kind of background. */
    CIFAR10("cifar10", new ImageShape(3, 32, 32), 10, false);

    private final String dataset;
    private final ImageShape shape;
    private final int classes;
    private final boolean darkBackground;

    KnownDataset(String dataset, ImageShape shape, int classes, boolean darkBackground) {
        this.dataset = dataset;
        this.shape = shape;
        this.classes = classes;
        this.darkBackground = darkBackground;
    }

    /**
     * Looks a data set up by the name a checkpoint records, ignoring case.
     *
     * @param dataset for example {@code mnist}; any other text (a text file's name, {@code generated})
     *     is not a known image data set
     * @return the data set, or empty when the name is not one of them
     */
    public static Optional<KnownDataset> named(String dataset) {
        String wanted = dataset == null ? "" : dataset.trim().toLowerCase(Locale.ROOT);
        for (KnownDataset known : values()) {
            if (known.dataset.equals(wanted)) {
                return Optional.of(known);
            }
        }
        return Optional.empty();
    }

    /**
     * The name as checkpoints and the command line write it.
     *
     * @return for example {@code fashion-mnist}
     */
    public String dataset() {
        return dataset;
    }

    /**
     * The shape of its images.
     *
     * @return {@code 1x28x28} or {@code 3x32x32}
     */
    public ImageShape shape() {
        return shape;
    }

    /**
     * How many classes it has.
     *
     * @return 10 for all three
     */
    public int classes() {
        return classes;
    }

    /**
     * Whether its images show light shapes on a dark, nearly black background.
     *
     * @return true for MNIST and Fashion-MNIST
     */
    public boolean darkBackground() {
        return darkBackground;
    }
}

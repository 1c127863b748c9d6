package io.github.rosettadl.core.models;

import ai.djl.ndarray.types.Shape;

/**
 * The shape of one image as the models see it: channels, height and width (NCHW without N).
 *
 * <p>MNIST and Fashion-MNIST are {@code (1, 28, 28)}, CIFAR-10 is {@code (3, 32, 32)}; models take
 * this from the dataset instead of hard-coding it, so each runs on all three.
 *
 * @param channels colour channels, 1 (grey) or 3 (RGB)
 * @param height rows of pixels
 * @param width columns of pixels
 */
public record ImageShape(int channels, int height, int width) {

    /**
     * Checks that every size is positive.
     *
     * @throws IllegalArgumentException naming the sizes when one is below 1
     */
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("Image shape must be positive in every dimension, got (channels "
                    + channels + ", height " + height + ", width " + width + ").");
        }
    }

    /**
     * Pixels times channels: the length of the image when flattened.
     *
     * @return {@code channels * height * width}
     */
    public long size() {
        return (long) channels * height * width;
    }

    /**
     * The shape of a batch of these images, in NCHW order.
     *
     * @param batchSize the number of images N
     * @return {@code (N, channels, height, width)}
     */
    public Shape withBatch(long batchSize) {
        return new Shape(batchSize, channels, height, width);
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}

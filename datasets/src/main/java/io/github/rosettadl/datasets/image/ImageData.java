package io.github.rosettadl.datasets.image;

/**
 * An image data set in memory: its metadata and its train and test splits.
 *
 * @param metadata classes, image shape, train-set mean and std
 * @param train the training images
 * @param test the test images
 * @param source where the files were read from, for logs
 */
public record ImageData(ImageMetadata metadata, ImageSplit train, ImageSplit test, String source) {
}

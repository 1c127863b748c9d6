package io.github.rosettadl.datasets.image;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One split (train, test or validation) of an image data set, held in memory as uint8: N images
 * back to back in NCHW order and N labels. Batches turn them into float32 only as they are made.
 */
public final class ImageSplit {

    private final ImageMetadata metadata;
    private final byte[] pixels;
    private final byte[] labels;

    /**
     * Wraps pixels and labels, which must agree with the metadata. The arrays are kept, not copied.
     *
     * @param metadata the shape and classes
     * @param pixels N images of {@code metadata.imageBytes()} bytes, NCHW
     * @param labels N labels, each below {@code metadata.numClasses()}
     * @throws IllegalArgumentException if the sizes disagree or a label is out of range
     */
    public ImageSplit(ImageMetadata metadata, byte[] pixels, byte[] labels) {
        int imageBytes = metadata.imageBytes();
        if ((long) labels.length * imageBytes != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels need " + (long) labels.length * imageBytes
                    + " pixel bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= metadata.numClasses()) {
                throw new IllegalArgumentException("label " + (labels[i] & 0xFF) + " of image " + i
                        + " is not below " + metadata.numClasses());
            }
        }
        this.metadata = metadata;
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * The data set's classes and image shape.
     *
     * @return the metadata
     */
    public ImageMetadata metadata() {
        return metadata;
    }

    /**
     * How many images.
     *
     * @return N
     */
    public int size() {
        return labels.length;
    }

    /**
     * All pixels, uint8, N*C*H*W, NCHW-contiguous. This is the backing array, not a copy, so that
     * large splits are not duplicated: do not modify it.
     *
     * @return the pixels
     */
    public byte[] pixels() {
        return pixels;
    }

    /**
     * All labels, one byte each. The backing array, not a copy: do not modify it.
     *
     * @return the labels
     */
    public byte[] labels() {
        return labels;
    }

    /**
     * The label of one image.
     *
     * @param i the image index
     * @return the class, 0 to {@code numClasses - 1}
     */
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /**
     * A copy of one image's bytes.
     *
     * @param i the image index
     * @return C*H*W bytes, channel planes in order
     */
    public byte[] image(int i) {
        int n = metadata.imageBytes();
        return Arrays.copyOfRange(pixels, i * n, (i + 1) * n);
    }

    /**
     * The first {@code n} images, for quick runs.
     *
     * @param n how many to keep, at least 1
     * @return this split when it has no more than {@code n} images, else a copy of the first n
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public ImageSplit limit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + n);
        }
        if (n >= size()) {
            return this;
        }
        return new ImageSplit(metadata, Arrays.copyOf(pixels, n * metadata.imageBytes()), Arrays.copyOf(labels, n));
    }

    /**
     * Splits off a validation set of randomly chosen images; both parts keep the stored order.
     *
     * @param validationCount how many images go to validation, 1 to {@code size() - 1}
     * @param seed the seed that picks them
     * @return {@code [train, validation]}
     * @throws IllegalArgumentException if {@code validationCount} leaves either part empty
     */
    public ImageSplit[] splitValidation(int validationCount, long seed) {
        if (validationCount < 1 || validationCount >= size()) {
            throw new IllegalArgumentException("validationCount must be between 1 and " + (size() - 1)
                    + " for a split of " + size() + " images, got " + validationCount);
        }
        int[] order = EpochOrder.shuffle(EpochOrder.identity(size()), new SplittableRandom(seed));
        boolean[] toValidation = new boolean[size()];
        for (int i = 0; i < validationCount; i++) {
            toValidation[order[i]] = true;
        }
        return new ImageSplit[] {select(toValidation, false, size() - validationCount),
                select(toValidation, true, validationCount)};
    }

    private ImageSplit select(boolean[] mask, boolean wanted, int count) {
        int n = metadata.imageBytes();
        byte[] outPixels = new byte[count * n];
        byte[] outLabels = new byte[count];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == wanted) {
                System.arraycopy(pixels, i * n, outPixels, k * n, n);
                outLabels[k++] = labels[i];
            }
        }
        return new ImageSplit(metadata, outPixels, outLabels);
    }

    /**
     * Images per class.
     *
     * @return {@code numClasses} counts, indexed by label
     */
    public int[] classCounts() {
        int[] counts = new int[metadata.numClasses()];
        for (byte label : labels) {
            counts[label & 0xFF]++;
        }
        return counts;
    }

    /**
     * This split as a DJL data set of float32 batches.
     *
     * @param batchSize images per batch; the last batch keeps the remainder
     * @param shuffle whether each epoch visits the images in a seeded random order
     * @param seed the seed of that order
     * @param normalization how pixels become floats
     * @return the batches
     */
    public ImageBatches batches(int batchSize, boolean shuffle, long seed, Normalization normalization) {
        return new ImageBatches(this, batchSize, shuffle, seed, normalization, Augmentation.NONE);
    }

    /**
     * This split as a DJL data set of float32 batches, each image randomly changed as it is batched:
     * for training data only.
     *
     * @param batchSize images per batch; the last batch keeps the remainder
     * @param seed the seed of the order and of the augmentation
     * @param normalization how pixels become floats
     * @param augmentation the random changes
     * @return the batches, reshuffled every epoch
     */
    public ImageBatches augmentedBatches(int batchSize, long seed, Normalization normalization,
            Augmentation augmentation) {
        return new ImageBatches(this, batchSize, true, seed, normalization, augmentation);
    }

    @Override
    public String toString() {
        return metadata.id().displayName() + " split of " + size() + " images";
    }
}

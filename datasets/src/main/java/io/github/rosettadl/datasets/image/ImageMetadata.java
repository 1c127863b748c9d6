package io.github.rosettadl.datasets.image;

import io.github.rosettadl.datasets.ImageDatasetId;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a model needs to know about an image data set: its classes, the image shape, and the
 * per-channel mean and standard deviation of the train set in 0..1 units.
 */
public final class ImageMetadata {

    private final ImageDatasetId id;
    private final List<String> classNames;
    private final int channels;
    private final int height;
    private final int width;
    private final float[] mean;
    private final float[] std;

    /**
     * Creates the metadata.
     *
     * @param id the data set
     * @param classNames the class names in label order
     * @param channels 1 for grey, 3 for RGB
     * @param height image height in pixels
     * @param width image width in pixels
     * @param mean per-channel mean of {@code x / 255}, {@code channels} values
     * @param std per-channel standard deviation of {@code x / 255}, {@code channels} values
     * @throws IllegalArgumentException for non-positive sizes, no classes, or mean/std of the wrong length
     */
    public ImageMetadata(ImageDatasetId id, List<String> classNames, int channels, int height, int width,
            float[] mean, float[] std) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height
                    + "x" + width);
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one class");
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("need one mean and one std per channel (" + channels + "), got "
                    + mean.length + " and " + std.length);
        }
        this.id = Objects.requireNonNull(id, "id");
        this.classNames = List.copyOf(classNames);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * The data set.
     *
     * @return its id
     */
    public ImageDatasetId id() {
        return id;
    }

    /**
     * The class names, indexed by label.
     *
     * @return an unmodifiable list
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * How many classes there are.
     *
     * @return {@code classNames().size()}
     */
    public int numClasses() {
        return classNames.size();
    }

    /**
     * Colour channels per image.
     *
     * @return 1 for grey, 3 for RGB
     */
    public int channels() {
        return channels;
    }

    /**
     * Image height.
     *
     * @return pixels
     */
    public int height() {
        return height;
    }

    /**
     * Image width.
     *
     * @return pixels
     */
    public int width() {
        return width;
    }

    /**
     * Bytes per image.
     *
     * @return {@code channels * height * width}
     */
    public int imageBytes() {
        return channels * height * width;
    }

    /**
     * Per-channel mean of the train set in 0..1 units.
     *
     * @return a copy, one value per channel
     */
    public float[] mean() {
        return mean.clone();
    }

    /**
     * Per-channel standard deviation of the train set in 0..1 units.
     *
     * @return a copy, one value per channel
     */
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ImageMetadata)) {
            return false;
        }
        ImageMetadata other = (ImageMetadata) o;
        return id == other.id && channels == other.channels && height == other.height && width == other.width
                && classNames.equals(other.classNames) && Arrays.equals(mean, other.mean)
                && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, classNames, channels, height, width, Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    @Override
    public String toString() {
        return id.displayName() + " " + channels + "x" + height + "x" + width + ", " + numClasses()
                + " classes, mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}

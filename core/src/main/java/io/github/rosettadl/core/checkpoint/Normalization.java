package io.github.rosettadl.core.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * How pixels were scaled for training, so prediction scales new images the same way:
 * {@code x = (pixel / 255 - mean[c]) / std[c]} for each channel {@code c}.
 *
 * @param mean the per-channel mean subtracted after dividing by 255
 * @param std the per-channel standard deviation divided by, all above 0
 */
public record Normalization(float[] mean, float[] std) {

    /**
     * Checks the arrays.
     *
     * @throws IllegalArgumentException when the lengths differ, are 0, or a std is not positive
     * @throws NullPointerException when an array is missing
     */
    public Normalization {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalization needs one mean and one std per channel, got "
                    + mean.length + " mean(s) and " + std.length + " std(s).");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("Every std must be positive, got " + Arrays.toString(std) + ".");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * Only {@code / 255}, as the seeds do.
     *
     * @param channels the number of channels
     * @return mean 0 and std 1 for every channel
     */
    public static Normalization divideBy255(int channels) {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        Arrays.fill(std, 1f);
        return new Normalization(mean, std);
    }

    /**
     * The number of channels.
     *
     * @return the length of {@link #mean()}
     */
    public int channels() {
        return mean.length;
    }

    /**
     * Scales one 8-bit pixel value of a channel.
     *
     * @param channel the channel
     * @param pixel the value, 0 to 255
     * @return the normalised value
     */
    public float apply(int channel, int pixel) {
        return (pixel / 255f - mean[channel]) / std[channel];
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}

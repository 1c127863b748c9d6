package io.github.rosettadl.datasets.testing;

import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageMetadata;
import io.github.rosettadl.datasets.image.ImageSplit;

import java.util.List;

/** Small in-memory image splits with known pixel values. */
public final class TinyImages {

    private TinyImages() {
    }

    /** Metadata for C x H x W images in {@code classes} classes, mean 0.5 and std 0.25 per channel. */
    public static ImageMetadata metadata(int channels, int height, int width, int classes) {
        String[] names = new String[classes];
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int i = 0; i < classes; i++) {
            names[i] = "class" + i;
        }
        for (int c = 0; c < channels; c++) {
            mean[c] = 0.5f + 0.1f * c;
            std[c] = 0.25f;
        }
        return new ImageMetadata(ImageDatasetId.CIFAR10, List.of(names), channels, height, width, mean, std);
    }

    /** n images whose byte p of image i is (5i + p) mod 256, label i mod classes. */
    public static ImageSplit split(ImageMetadata metadata, int n) {
        int bytes = metadata.imageBytes();
        byte[] pixels = new byte[n * bytes];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % metadata.numClasses());
            for (int p = 0; p < bytes; p++) {
                pixels[i * bytes + p] = (byte) (5 * i + p);
            }
        }
        return new ImageSplit(metadata, pixels, labels);
    }

    /** The value byte p of image i holds in {@link #split}. */
    public static int pixel(int image, int p) {
        return (5 * image + p) & 0xFF;
    }
}

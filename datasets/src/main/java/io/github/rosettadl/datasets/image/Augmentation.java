package io.github.rosettadl.datasets.image;

import java.util.SplittableRandom;

/**
 * Random changes to each training image as its batch is made, the classic way to train longer
 * without overfitting. With {@code maxShift} s and a flip it is torchvision's
 * {@code RandomCrop(size, padding=s)} followed by {@code RandomHorizontalFlip()}: the image moves by
 * up to s pixels in each direction, zeros fill the edge, and half the images are mirrored. The draws
 * depend only on (seed, epoch) and the visiting order, so a resumed run sees the same images.
 *
 * @param maxShift the largest shift in pixels, 0 for none
 * @param horizontalFlip whether half the images are mirrored left to right (right for photos and
 *     clothes, wrong for digits)
 */
public record Augmentation(int maxShift, boolean horizontalFlip) {

    /** No change: the seeds train on the images as they are. */
    public static final Augmentation NONE = new Augmentation(0, false);

    /**
     * Checks the shift.
     *
     * @throws IllegalArgumentException when the shift is negative
     */
    public Augmentation {
        if (maxShift < 0) {
            throw new IllegalArgumentException("The largest shift must be 0 or more pixels, got " + maxShift + ".");
        }
    }

    /**
     * Whether this changes anything.
     *
     * @return false for {@link #NONE}
     */
    public boolean isNone() {
        return maxShift == 0 && !horizontalFlip;
    }

    /**
     * Copies one image, shifted and perhaps mirrored, into {@code out}.
     *
     * @param pixels the source images, uint8 CHW back to back
     * @param offset where the image starts in {@code pixels}
     * @param metadata its shape
     * @param random the epoch's generator; each call draws the same number of values
     * @param out receives C*H*W bytes
     */
    void apply(byte[] pixels, int offset, ImageMetadata metadata, SplittableRandom random, byte[] out) {
        int h = metadata.height();
        int w = metadata.width();
        int dy = random.nextInt(2 * maxShift + 1) - maxShift;
        int dx = random.nextInt(2 * maxShift + 1) - maxShift;
        boolean flip = horizontalFlip && random.nextBoolean();
        int o = 0;
        for (int c = 0; c < metadata.channels(); c++) {
            int plane = offset + c * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                boolean rowInside = sy >= 0 && sy < h;
                for (int x = 0; x < w; x++) {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    out[o++] = rowInside && sx >= 0 && sx < w ? pixels[plane + sy * w + sx] : 0;
                }
            }
        }
    }
}

package io.github.rosettadl.core.predict;

import io.github.rosettadl.core.checkpoint.Normalization;
import io.github.rosettadl.core.models.ImageShape;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Turns any {@link BufferedImage} into the float CHW pixels a model takes: resized (bilinear) to the
 * model's height and width, converted to grey or RGB, and normalised as in training.
 *
 * <p>Grey is {@code 0.299 R + 0.587 G + 0.114 B}, as Pillow's {@code convert('L')} (which
 * torchvision uses) computes it. Transparent pixels count as black, the background of MNIST and
 * CIFAR-10. A dark digit on white paper looks nothing like MNIST's white digit on black, so {@link
 * #toChw(BufferedImage, ImageShape, Normalization, boolean)} can invert the pixels first, and {@link
 * #borderBrightness(BufferedImage, ImageShape)} tells which background an image has.
 */
public final class ImageConversion {

    private ImageConversion() {
    }

    /**
     * Converts an image.
     *
     * @param image any image
     * @param shape the model's input shape, 1 or 3 channels
     * @param normalization the training data's normalisation
     * @return {@code channels * height * width} values, channel-major
     * @throws IllegalArgumentException when the shape has neither 1 nor 3 channels or does not match
     *     the normalisation
     */
    public static float[] toChw(BufferedImage image, ImageShape shape, Normalization normalization) {
        return toChw(image, shape, normalization, false);
    }

    /**
     * Converts an image, inverting its pixels ({@code 255 - value}) first when asked.
     *
     * @param image any image
     * @param shape the model's input shape, 1 or 3 channels
     * @param normalization the training data's normalisation
     * @param invert whether to turn dark strokes on light paper into light strokes on black
     * @return {@code channels * height * width} values, channel-major
     * @throws IllegalArgumentException when the shape has neither 1 nor 3 channels or does not match
     *     the normalisation
     */
    public static float[] toChw(BufferedImage image, ImageShape shape, Normalization normalization, boolean invert) {
        Objects.requireNonNull(image, "image");
        int c = shape.channels();
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("Images convert to 1 (grey) or 3 (RGB) channels, not " + c + ".");
        }
        if (normalization.channels() != c) {
            throw new IllegalArgumentException("The normalisation has " + normalization.channels()
                    + " channel(s), the model " + c + ".");
        }
        int h = shape.height();
        int w = shape.width();
        BufferedImage rgb = resized(image, shape);
        int flip = invert ? 0xffffff : 0;
        float[] chw = new float[c * h * w];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int pixel = rgb.getRGB(x, y) ^ flip;
                int r = (pixel >> 16) & 0xff;
                int gr = (pixel >> 8) & 0xff;
                int b = pixel & 0xff;
                int i = y * w + x;
                if (c == 1) {
                    chw[i] = normalization.apply(0, grey(pixel));
                } else {
                    chw[i] = normalization.apply(0, r);
                    chw[plane + i] = normalization.apply(1, gr);
                    chw[2 * plane + i] = normalization.apply(2, b);
                }
            }
        }
        return chw;
    }

    /**
     * The mean grey value of an image's outermost pixels at the model's size: near 0 for MNIST's
     * and Fashion-MNIST's black backgrounds, near 255 for a drawing on white paper.
     *
     * @param image any image
     * @param shape the model's input shape; only its height and width are used
     * @return 0 (black) to 255 (white)
     */
    public static double borderBrightness(BufferedImage image, ImageShape shape) {
        Objects.requireNonNull(image, "image");
        BufferedImage rgb = resized(image, shape);
        int h = rgb.getHeight();
        int w = rgb.getWidth();
        double sum = 0;
        int count = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || x == 0 || y == h - 1 || x == w - 1) {
                    sum += grey(rgb.getRGB(x, y));
                    count++;
                }
            }
        }
        return sum / count;
    }

    private static int grey(int pixel) {
        int r = (pixel >> 16) & 0xff;
        int g = (pixel >> 8) & 0xff;
        int b = pixel & 0xff;
        return (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }

    /** The image drawn bilinearly at the model's size on black, which transparent pixels show. */
    private static BufferedImage resized(BufferedImage image, ImageShape shape) {
        BufferedImage rgb = new BufferedImage(shape.width(), shape.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, shape.width(), shape.height(), null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}

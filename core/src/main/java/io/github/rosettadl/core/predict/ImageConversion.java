package io.github.rosettadl.core.predict;

import io.github.rosettadl.core.checkpoint.Normalization;
import io.github.rosettadl.core.models.ImageShape;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Turns any {@link BufferedImage} into the float CHW pixels a model takes: resized (bilinear) to the
 * model's height and width, converted to grey or RGB, and normalised as in training.
 *
 * <p>Grey is {@code 0.299 R + 0.587 G + 0.114 B}, as Pillow's {@code convert('L')} (which
 * torchvision uses) computes it. Transparent pixels count as black, the background of MNIST and
 * CIFAR-10. Colours are not inverted: a dark digit on white paper looks nothing like MNIST's white
 * digit on black, so invert such images before predicting.
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
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        float[] chw = new float[c * h * w];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int pixel = rgb.getRGB(x, y);
                int r = (pixel >> 16) & 0xff;
                int gr = (pixel >> 8) & 0xff;
                int b = pixel & 0xff;
                int i = y * w + x;
                if (c == 1) {
                    int grey = (int) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
                    chw[i] = normalization.apply(0, grey);
                } else {
                    chw[i] = normalization.apply(0, r);
                    chw[plane + i] = normalization.apply(1, gr);
                    chw[2 * plane + i] = normalization.apply(2, b);
                }
            }
        }
        return chw;
    }
}

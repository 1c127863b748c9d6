package io.github.rosettadl.core.compression;

import java.util.Arrays;
import java.util.Objects;

/**
 * Post-training int8 weight quantization: symmetric, one scale per output channel.
 *
 * <p>For each output channel {@code c} (the first axis: a dense layer's output unit, a
 * convolution's filter, a row of a recurrent kernel) the scale is {@code max|w_c| / 127}, each
 * weight becomes {@code q = round(w / scale)}, an integer in [-127, 127], and reads back as
 * {@code q * scale}, so no weight moves by more than half a step ({@code scale / 2}). The PyTorch
 * counterpart is an observer with {@code torch.per_channel_symmetric} and {@code torch.qint8}:
 *
 * <pre>
 * scales = w.abs().amax(dim=tuple(range(1, w.dim()))) / 127
 * q = torch.quantize_per_channel(w, scales, torch.zeros(w.size(0), dtype=torch.long), 0, torch.qint8)
 * w_hat = q.dequantize()
 * </pre>
 *
 * <p>Only tensors of rank 2 or more are quantized: weight matrices and convolution kernels, which
 * hold almost every value of a model. Biases and batch norm's scale, shift and running statistics
 * (rank 1) stay float32: they are a fraction of a percent of the values, and each of them is added
 * or multiplied in on its own rather than summed over hundreds of products, so its rounding error
 * would not average out (int8 engines keep them in float32 or int32 too, and fold batch norm into
 * the convolution before quantizing).
 */
public final class Int8Quantizer {

    /** The largest magnitude an int8 weight takes; -128 is left unused so that the range is symmetric. */
    public static final int LEVELS = 127;

    private Int8Quantizer() {
    }

    /**
     * Whether a tensor is quantized: every tensor of rank 2 or more.
     *
     * @param shape the tensor's shape
     * @return true for weight matrices and convolution kernels, false for biases and batch norm
     */
    public static boolean quantizes(long[] shape) {
        return shape.length >= 2;
    }

    /**
     * Quantizes one tensor per output channel (its first axis).
     *
     * @param name the tensor's name, for example {@code conv1.weight}
     * @param shape its shape, rank 2 or more
     * @param values its values in row-major order
     * @return the int8 values and one float32 scale per output channel
     * @throws IllegalArgumentException when the shape is not rank 2 or more, does not match the values,
     *     or a value is not finite
     */
    public static QuantizedTensor quantize(String name, long[] shape, float[] values) {
        Objects.requireNonNull(name, "name");
        if (!quantizes(shape)) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape)
                    + "; only tensors of rank 2 or more (weights of dense and convolutional layers) are quantized.");
        }
        int channels = Math.toIntExact(shape[0]);
        if (channels < 1 || values.length % channels != 0
                || Arrays.stream(shape).reduce(1, Math::multiplyExact) != values.length) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape) + " but "
                    + values.length + " values.");
        }
        int perChannel = values.length / channels;
        float[] scales = new float[channels];
        byte[] quantized = new byte[values.length];
        for (int c = 0; c < channels; c++) {
            int from = c * perChannel;
            float max = 0;
            for (int i = from; i < from + perChannel; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IllegalArgumentException(name + " holds " + values[i] + " at index " + i
                            + "; only finite weights can be quantized.");
                }
                max = Math.max(max, Math.abs(values[i]));
            }
            scales[c] = max / LEVELS;
            for (int i = from; i < from + perChannel; i++) {
                quantized[i] = quantize(values[i], scales[c]);
            }
        }
        return new QuantizedTensor(name, shape, quantized, scales);
    }

    /** Rounds to the nearest step; a channel of zeros has scale 0 and stays zero. */
    static byte quantize(float value, float scale) {
        if (scale == 0) {
            return 0;
        }
        long q = Math.round((double) value / scale);
        return (byte) Math.max(-LEVELS, Math.min(LEVELS, q));
    }
}

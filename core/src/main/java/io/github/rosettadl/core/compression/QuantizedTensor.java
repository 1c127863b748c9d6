package io.github.rosettadl.core.compression;

import java.util.Arrays;
import java.util.Objects;

/**
 * One weight tensor stored as int8 values with a float32 scale per output channel (its first axis):
 * the value at a position of channel {@code c} is {@code values[i] * scales[c]}.
 *
 * @param name the tensor's name, for example {@code fc1.weight}
 * @param shape its shape, rank 2 or more; the first axis is the output channel
 * @param values the int8 values in row-major order, each in [-127, 127]
 * @param scales one step size per output channel, 0 or more
 */
public record QuantizedTensor(String name, long[] shape, byte[] values, float[] scales) {

    /**
     * Checks that the parts fit together.
     *
     * @throws IllegalArgumentException when the shape, values and scales disagree, or a scale is
     *     negative or not finite
     */
    public QuantizedTensor {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
        long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (shape.length < 2 || size != values.length || shape[0] != scales.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " does not fit "
                    + values.length + " int8 values and " + scales.length + " scales.");
        }
        for (int c = 0; c < scales.length; c++) {
            if (!(scales[c] >= 0) || Float.isInfinite(scales[c])) {
                throw new IllegalArgumentException(name + ": the scale of channel " + c + " is " + scales[c]
                        + "; a scale is a finite number, 0 or more.");
            }
        }
    }

    /**
     * The float32 values this tensor stands for: each int8 value times its channel's scale.
     *
     * @return the dequantized values in row-major order
     */
    public float[] dequantize() {
        float[] out = new float[values.length];
        int perChannel = values.length / scales.length;
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i] * scales[i / perChannel];
        }
        return out;
    }

    /**
     * The output channels, one scale each.
     *
     * @return the length of the first axis
     */
    public int channels() {
        return scales.length;
    }

    /**
     * The quantization step of the channel that holds a value: no weight was moved by more than half
     * of it.
     *
     * @param index a position in row-major order
     * @return that channel's scale
     */
    public float stepAt(int index) {
        return scales[index / (values.length / scales.length)];
    }

    /**
     * What the tensor takes as int8: one byte per value and four per scale.
     *
     * @return bytes
     */
    public long bytes() {
        return values.length + (long) Float.BYTES * scales.length;
    }
}

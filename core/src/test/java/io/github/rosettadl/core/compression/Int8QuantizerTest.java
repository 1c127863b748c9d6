package io.github.rosettadl.core.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Random;

class Int8QuantizerTest {

    /** Weights whose channels differ in magnitude by a factor of 10 each, as a trained layer's may. */
    private static float[] weights(int channels, int perChannel, long seed) {
        Random random = new Random(seed);
        float[] w = new float[channels * perChannel];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * Math.pow(10, -(i / perChannel) % 4));
        }
        return w;
    }

    /**
     * The first weight that moved by more than half its channel's step (with float32's own rounding
     * of the product allowed for), or null when none did.
     */
    static String firstBeyondHalfAStep(float[] original, QuantizedTensor q) {
        float[] back = q.dequantize();
        for (int i = 0; i < original.length; i++) {
            double allowed = q.stepAt(i) / 2 + Math.ulp(Math.abs(original[i]));
            if (Math.abs(original[i] - back[i]) > allowed) {
                return "weight " + i + ": " + original[i] + " came back as " + back[i] + ", step " + q.stepAt(i);
            }
        }
        return null;
    }

    @Test
    void everyWeightComesBackWithinHalfAQuantizationStep() {
        for (long[] shape : new long[][] {{8, 50}, {16, 3, 3, 3}}) {
            int channels = (int) shape[0];
            float[] w = weights(channels, (int) (shape[1] * (shape.length > 2 ? shape[2] * shape[3] : 1)), 7);
            QuantizedTensor q = Int8Quantizer.quantize("layer.weight", shape, w);
            assertNull(firstBeyondHalfAStep(w, q));
            for (byte v : q.values()) {
                assertTrue(v >= -127 && v <= 127, "int8 in [-127, 127], got " + v);
            }
        }
    }

    @Test
    void theHalfStepCheckCatchesAWrongScale() {
        long[] shape = {8, 50};
        float[] w = weights(8, 50, 3);
        QuantizedTensor right = Int8Quantizer.quantize("fc.weight", shape, w);
        for (float factor : new float[] {0.5f, 1.02f, 2f}) {
            float[] scales = right.scales().clone();
            byte[] values = new byte[w.length];
            for (int i = 0; i < w.length; i++) {
                scales[i / 50] = right.scales()[i / 50] * factor;
            }
            for (int i = 0; i < w.length; i++) {
                values[i] = Int8Quantizer.quantize(w[i], scales[i / 50]);
            }
            // rounded with the wrong scale but read back with the right one: clamped or stretched
            QuantizedTensor wrong = new QuantizedTensor("fc.weight", shape, values, right.scales());
            assertTrue(firstBeyondHalfAStep(w, wrong) != null, "a scale off by x" + factor + " must be caught");
        }
    }

    @Test
    void eachOutputChannelHasItsOwnScaleFromItsLargestWeight() {
        long[] shape = {4, 2, 3, 3};
        float[] w = weights(4, 18, 11);
        QuantizedTensor q = Int8Quantizer.quantize("conv.weight", shape, w);
        assertEquals(4, q.channels());
        for (int c = 0; c < 4; c++) {
            float max = 0;
            int argmax = 0;
            for (int i = c * 18; i < (c + 1) * 18; i++) {
                if (Math.abs(w[i]) > max) {
                    max = Math.abs(w[i]);
                    argmax = i;
                }
            }
            assertEquals(max / 127, q.scales()[c], 0f, "channel " + c);
            assertEquals(127, Math.abs(q.values()[argmax]), "the largest weight of channel " + c + " is +-127");
        }
        // a channel 1000x smaller keeps its precision: one scale for the tensor would round it to zero
        assertTrue(q.scales()[0] > 500 * q.scales()[3], q.scales()[0] + " vs " + q.scales()[3]);
        int nonZero = 0;
        for (int i = 3 * 18; i < 4 * 18; i++) {
            nonZero += q.values()[i] != 0 ? 1 : 0;
        }
        assertTrue(nonZero > 12, "channel 3 keeps most of its weights: " + nonZero + " of 18 non-zero");
    }

    @Test
    void aChannelOfZerosStaysZeroAndBiasesAreNotQuantized() {
        float[] w = {0, 0, 0, 1, -2, 0.5f};
        QuantizedTensor q = Int8Quantizer.quantize("dense.weight", new long[] {2, 3}, w);
        assertEquals(0f, q.scales()[0]);
        assertEquals(0f, q.dequantize()[1]);
        assertEquals(-127, q.values()[4]);
        assertFalse(Int8Quantizer.quantizes(new long[] {3}));
        IllegalArgumentException bias = assertThrows(IllegalArgumentException.class,
                () -> Int8Quantizer.quantize("dense.bias", new long[] {3}, new float[3]));
        assertTrue(bias.getMessage().contains("dense.bias") && bias.getMessage().contains("rank 2"), bias.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Int8Quantizer.quantize("dense.weight", new long[] {1, 2}, new float[] {1, Float.NaN}));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    }
}

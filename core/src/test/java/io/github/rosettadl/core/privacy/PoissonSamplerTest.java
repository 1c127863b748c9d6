package io.github.rosettadl.core.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

class PoissonSamplerTest {

    /**
     * Over 400 steps of q = 0.02 on 5,000 examples: the mean batch is q N = 100 within 4 standard
     * errors, the batch sizes spread as a binomial's (variance N q (1 - q) = 98), and each example's
     * inclusion count spreads as Binomial(400, q) does, and neighbouring examples are drawn together as
     * often as independent draws are.
     */
    @Test
    void eachExampleIsDrawnIndependentlyWithRateQ() {
        PoissonSampler sampler = new PoissonSampler(5000, 0.02, 42);
        int steps = 400;
        double sum = 0;
        double sumSquares = 0;
        int[] counts = new int[5000];
        int adjacentPairs = 0;
        for (int s = 0; s < steps; s++) {
            int[] batch = sampler.sample(1 + s / 50, s % 50);
            sum += batch.length;
            sumSquares += (double) batch.length * batch.length;
            for (int i : batch) {
                counts[i]++;
            }
            for (int k = 1; k < batch.length; k++) {
                assertTrue(batch[k] > batch[k - 1], "indices ascend, without repeats");
                adjacentPairs += batch[k] == batch[k - 1] + 1 ? 1 : 0;
            }
        }
        double mean = sum / steps;
        double variance = sumSquares / steps - mean * mean;
        assertEquals(100, mean, 4 * Math.sqrt(98.0 / steps), "mean batch size");
        assertEquals(98, variance, 98 * 0.25, "batch size variance");
        double perExampleMean = Arrays.stream(counts).average().orElseThrow();
        double perExampleVariance = Arrays.stream(counts).mapToDouble(c -> (c - perExampleMean) * (c - perExampleMean))
                .sum() / counts.length;
        assertEquals(8, perExampleMean, 0.2);
        assertEquals(400 * 0.02 * 0.98, perExampleVariance, 0.8);
        // neighbours are drawn together as often as independence says: 4,999 pairs, q^2 each, per step
        double pairs = steps * 4999 * 0.02 * 0.02;
        assertEquals(pairs, adjacentPairs, 4 * Math.sqrt(pairs), "examples i and i + 1 both drawn");
    }

    @Test
    void aStepRepeatsFromItsSeedAndDiffersFromOthers() {
        PoissonSampler sampler = PoissonSampler.forExpectedBatch(60000, 256, 7);
        assertEquals(256.0 / 60000, sampler.rate(), 1e-15);
        assertEquals(235, sampler.stepsPerEpoch());
        assertArrayEquals(sampler.sample(3, 10), new PoissonSampler(60000, 256.0 / 60000, 7).sample(3, 10));
        assertFalse(Arrays.equals(sampler.sample(3, 10), sampler.sample(3, 11)));
        assertFalse(Arrays.equals(sampler.sample(3, 10), sampler.sample(4, 10)));
        assertFalse(Arrays.equals(sampler.sample(3, 10), PoissonSampler.forExpectedBatch(60000, 256, 8).sample(3, 10)));
    }

    @Test
    void badRatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PoissonSampler(100, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PoissonSampler(100, 1.5, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoissonSampler.forExpectedBatch(100, 101, 1));
        assertTrue(e.getMessage().contains("101"), e.getMessage());
    }
}

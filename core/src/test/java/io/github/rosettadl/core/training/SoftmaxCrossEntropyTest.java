package io.github.rosettadl.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {

    /** The 10-class probability table of seed 003. */
    private static final double[] P = {0.2, 0.3, 0.4, 0.1, 0, 0.1, 0, 0, 0, 0};

    /*
     * Seed 003 computes -sum(p * log p): it weights each log-probability by the prediction itself.
     * That is the entropy of the prediction (how unsure it is), and it never looks at the label, so it
     * is not a loss. Cross-entropy against a label y weights log p by the one-hot label instead, which
     * leaves only -log p[y]. Two more things differ from a textbook table:
     * - the table sums to 1.1, not 1, so it is not a distribution; a softmax over log p renormalises it
     *   to p / 1.1 (what the loss sees when a model outputs these as scores);
     * - it has zeros, and numpy's 0 * log 0 is nan; the entropy below takes 0 * log 0 = 0, its limit.
     */
    @Test
    void reproducesTheSeedsWorkedExampleComputedCorrectly() {
        double sum = 0;
        double seedFormula = 0;
        for (double p : P) {
            sum += p;
            seedFormula -= p > 0 ? p * Math.log(p) : 0;
        }
        assertEquals(1.1, sum, 1e-12);
        // -(0.2 ln 0.2 + 0.3 ln 0.3 + 0.4 ln 0.4 + 2 * 0.1 ln 0.1) = 0.32189 + 0.36119 + 0.36652 + 0.46052
        assertEquals(1.51012, seedFormula, 1e-5);

        int label = 2;
        // cross-entropy of the table as given against class 2: -ln 0.4
        assertEquals(0.916291, -Math.log(P[label]), 1e-6);

        float[] logits = new float[P.length];
        for (int i = 0; i < P.length; i++) {
            logits[i] = (float) Math.log(P[i]); // ln 0 = -infinity: a class the model rules out
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray scores = manager.create(logits, new Shape(1, P.length));
            NDArray labels = manager.create(new long[] {label});
            // the loss renormalises: -ln(0.4 / 1.1) = ln 2.75
            assertEquals(1.011601, SoftmaxCrossEntropy.mean(scores, labels).getFloat(), 1e-5);

            // a batch: class 1 for the same scores adds -ln(0.3 / 1.1) = 1.299283; the mean is their average
            NDArray two = manager.create(new float[][] {logits, logits});
            NDArray both = manager.create(new long[] {2, 1});
            assertEquals((1.011601 + 1.299283) / 2, SoftmaxCrossEntropy.mean(two, both).getFloat(), 1e-5);
            assertEquals(1.011601 + 1.299283, SoftmaxCrossEntropy.sum(two, both).getFloat(), 1e-5);
        }
    }
}

package io.github.rosettadl.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Function;

/** The flat optimisers against PyTorch's update rules, written out in doubles. */
class FlatOptimizerTest {

    private static final float[] START = {0.5f, -1f, 2f, 1f, -2f, 3f, 0.25f};
    private static final float[] COEFFICIENTS = {1f, -3f, 0.5f, 2f};

    /** Loss = sum(a^2) + sum(c * b): the gradient is 2a for the 3-vector a and c for the 2x2 matrix b. */
    private static double[] gradient(double[] p) {
        return new double[] {2 * p[0], 2 * p[1], 2 * p[2], COEFFICIENTS[0], COEFFICIENTS[1], COEFFICIENTS[2],
            COEFFICIENTS[3]};
    }

    /** What a run leaves: the parameters and the optimiser's state. */
    private record Trained(float[] values, OptimizerState state) {}

    private static float[] train(TrainingConfig config, int steps) {
        return train(flat -> FlatOptimizer.create(flat, config), steps).values();
    }

    private static Trained train(Function<FlatParameters, FlatOptimizer> optimizerOf, int steps) {
        Engine engine = Engine.getEngine("PyTorch"); // loads the natives JniUtils calls into
        JniUtils.setGradMode(false);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = manager.create(new float[] {START[0], START[1], START[2]});
            NDArray b = manager.create(new float[] {START[3], START[4], START[5], START[6]}, new Shape(2, 2));
            NDArray c = manager.create(COEFFICIENTS, new Shape(2, 2));
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (FlatParameters flat = new FlatParameters(List.of(a, b), manager)) {
                FlatOptimizer optimizer = optimizerOf.apply(flat);
                assertEquals(START[4], b.toFloatArray()[1], "parameters keep their values when flattened");
                for (int i = 0; i < steps; i++) {
                    try (NDManager step = manager.newSubManager()) {
                        NDArray leaf;
                        try (GradientCollector collector = engine.newGradientCollector()) {
                            leaf = flat.bind(step);
                            collector.backward(a.mul(a).sum().add(b.mul(c).sum()));
                        }
                        optimizer.step(leaf.getGradient());
                    }
                }
                float[] values = flat.values().toFloatArray();
                float[] viaParameters = new float[7];
                System.arraycopy(a.toFloatArray(), 0, viaParameters, 0, 3);
                System.arraycopy(b.toFloatArray(), 0, viaParameters, 3, 4);
                for (int i = 0; i < 7; i++) {
                    assertEquals(values[i], viaParameters[i], "parameters are views of the flat buffer");
                }
                return new Trained(values, optimizer.state());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void adamFollowsTorchOptimAdamAndKeepsItsMoments(boolean fusedKernel) {
        double lr = 0.1;
        double eps = 1e-8;
        double[] p = toDouble(START);
        double[] m = new double[7];
        double[] v = new double[7];
        for (int t = 1; t <= 6; t++) {
            double[] g = gradient(p);
            for (int i = 0; i < 7; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double denominator = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + eps;
                p[i] -= lr / (1 - Math.pow(0.9, t)) * m[i] / denominator;
            }
        }
        Trained trained = train(flat -> {
            FlatAdam adam = fusedKernel ? new FlatAdam(flat, 0.1f, 1e-8f)
                    : new FlatAdam(flat, 0.1f, 1e-8f, false);
            assertEquals(fusedKernel, adam.isFused(), "libtorch 2.7.1 has the fused Adam kernel");
            return adam;
        }, 6);
        assertClose(p, trained.values());
        assertEquals(6, trained.state().steps());
        assertClose(m, trained.state().slots().get(0));
        assertClose(v, trained.state().slots().get(1));
    }

    @Test
    void sgdWithMomentumFollowsTorchOptimSgd() {
        double[] p = toDouble(START);
        double[] buffer = new double[7];
        for (int t = 1; t <= 6; t++) {
            double[] g = gradient(p);
            for (int i = 0; i < 7; i++) {
                buffer[i] = t == 1 ? g[i] : 0.9 * buffer[i] + g[i];
                p[i] -= 0.05 * buffer[i];
            }
        }
        assertClose(p, train(TrainingConfig.sgd(0.05f).withMomentum(0.9f), 6));
        double[] plain = toDouble(START);
        for (int t = 1; t <= 3; t++) {
            double[] g = gradient(plain);
            for (int i = 0; i < 7; i++) {
                plain[i] -= 0.05 * g[i];
            }
        }
        assertClose(plain, train(TrainingConfig.sgd(0.05f), 3));
    }

    private static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    private static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "parameter " + i);
        }
    }
}

package io.github.rosettadl.core.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;

import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;

/**
 * Every layer of every model and preset starts from the distribution its initialisation claims:
 * a Kolmogorov-Smirnov test per tensor against PyTorch's {@code U(±1/sqrt(fan_in))}, Glorot's
 * {@code U(±sqrt(6 / (fan_in + fan_out)))}, the embeddings' {@code U(±0.05)} or {@code N(0, 1)};
 * orthonormal columns for Keras's recurrent kernels; zero biases, and an LSTM forget gate's 1. Each
 * large enough tensor must also fail the test against a bound a quarter too wide and a fifth too
 * narrow, which shows the test can tell.
 */
class WeightInitTest {

    private static final ImageShape MNIST = new ImageShape(1, 28, 28);
    private static final ImageShape CIFAR = new ImageShape(3, 32, 32);
    /** Kolmogorov's critical value for a significance of 0.001: a right distribution fails 1 time in 1000. */
    private static final double KS_CRITICAL = 1.95;
    /** From this size a bound 25% off gives a distance of 0.1, which the test detects with room to spare. */
    private static final int POWERFUL = 1000;

    @BeforeAll
    static void engine() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    static Stream<Arguments> models() {
        List<ModelSpec> specs = new ArrayList<>();
        specs.add(new SoftmaxRegression.Spec(MNIST, 10));
        specs.add(new Mlp.Spec(MNIST, 10));
        specs.add(new Mlp.Spec(MNIST, 10, 128, WeightInit.PYTORCH));
        specs.add(new SimpleCNN.Spec(MNIST, 10));
        specs.add(new CifarCNN.Spec(CIFAR, 10));
        specs.add(new TanhCNN.Spec(MNIST, 10));
        specs.add(new DropoutMlp.Spec(MNIST, 10));
        // the presets (examples.cli.Preset): cnn-bn and cnn-bn-flip, vgg-bn, lstm-rows
        specs.add(new BatchNormCNN.Spec(MNIST, 10, List.of(32, 64), 1, 128, 0.25f, WeightInit.PYTORCH));
        specs.add(new BatchNormCNN.Spec(CIFAR, 10, List.of(32, 64, 128), 2, 128, 0.3f, WeightInit.PYTORCH));
        for (RecurrentCell cell : RecurrentCell.values()) {
            for (WeightInit init : WeightInit.values()) {
                specs.add(new RnnClassifier.Spec(MNIST, 10, cell, cell == RecurrentCell.LSTM ? 128 : 64, init));
            }
        }
        specs.add(new CharRnn.Spec(60, 40));
        specs.add(new CharRnn.Spec(60, 40, 32, 64, WeightInit.PYTORCH));
        return specs.stream().map(s -> Arguments.of(s.modelName() + " " + s, s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyLayerFollowsTheDistributionItClaims(String label, ModelSpec spec) {
        JniUtils.setSeed(42);
        try (Model model = spec.newModel(Device.cpu())) {
            Map<String, Parameter> named = ((SeedModel) model.getBlock()).namedParameters();
            int checked = 0;
            for (Map.Entry<String, Parameter> e : named.entrySet()) {
                String name = e.getKey();
                Parameter p = e.getValue();
                float[] values = p.getArray().toFloatArray();
                Shape shape = p.getArray().getShape();
                Claim claim = claim(spec, name, shape, named);
                claim.check(label + " " + name + " " + shape, values);
                checked++;
            }
            assertEquals(named.size(), checked);
        }
    }

    /** What one tensor should look like. */
    private interface Claim {
        void check(String what, float[] values);
    }

    private static Claim claim(ModelSpec spec, String name, Shape shape, Map<String, Parameter> named) {
        WeightInit init = initOf(spec);
        String layer = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        String tensor = name.substring(name.indexOf('.') + 1);
        if (name.equals("embedding")) {
            return init == WeightInit.KERAS ? uniform(0.05) : normal();
        }
        if (tensor.equals("gamma") || tensor.equals("runningVar")) {
            return constant(1f);
        }
        if (tensor.equals("beta") || tensor.equals("runningMean")) {
            return constant(0f);
        }
        if (tensor.startsWith("l_0_")) {
            return recurrent(spec, tensor, shape, init);
        }
        Shape weight = tensor.equals("bias") ? named.get(layer + ".weight").getShape() : shape;
        long receptive = weight.dimension() > 2 ? weight.slice(2).size() : 1;
        long fanIn = weight.get(1) * receptive;
        long fanOut = weight.get(0) * receptive;
        if (init == WeightInit.PYTORCH) {
            return uniform(1 / Math.sqrt(fanIn));
        }
        return tensor.equals("bias") ? constant(0f) : uniform(Math.sqrt(6.0 / (fanIn + fanOut)));
    }

    private static Claim recurrent(ModelSpec spec, String tensor, Shape shape, WeightInit init) {
        long hidden = shape.dimension() == 2 ? shape.get(1) : -1;
        int gates = spec instanceof RnnClassifier.Spec s ? s.cell().gates() : 1;
        long units = shape.get(0) / gates;
        if (init == WeightInit.PYTORCH) {
            return uniform(1 / Math.sqrt(units));
        }
        switch (tensor) {
            case "l_0_i2h_WEIGHT":
                return uniform(Math.sqrt(6.0 / (shape.get(1) + shape.get(0))));
            case "l_0_h2h_WEIGHT":
                return orthonormalColumns(Math.toIntExact(shape.get(0)), Math.toIntExact(hidden));
            case "l_0_i2h_BIAS":
                if (spec instanceof RnnClassifier.Spec s && s.cell() == RecurrentCell.LSTM) {
                    return lstmBias(Math.toIntExact(units));
                }
                return constant(0f);
            default:
                return constant(0f);
        }
    }

    private static WeightInit initOf(ModelSpec spec) {
        if (spec instanceof SoftmaxRegression.Spec s) {
            return s.init();
        } else if (spec instanceof Mlp.Spec s) {
            return s.init();
        } else if (spec instanceof SimpleCNN.Spec s) {
            return s.init();
        } else if (spec instanceof CifarCNN.Spec s) {
            return s.init();
        } else if (spec instanceof TanhCNN.Spec s) {
            return s.init();
        } else if (spec instanceof DropoutMlp.Spec s) {
            return s.init();
        } else if (spec instanceof BatchNormCNN.Spec s) {
            return s.init();
        } else if (spec instanceof RnnClassifier.Spec s) {
            return s.init();
        } else if (spec instanceof CharRnn.Spec s) {
            return s.init();
        }
        throw new AssertionError("no initialisation known for " + spec);
    }

    /** U(-bound, bound), and for a large tensor not U(±1.25 bound) nor U(±0.8 bound). */
    private static Claim uniform(double bound) {
        return (what, values) -> {
            double d = ksDistance(values, uniformCdf(bound));
            assertTrue(d <= KS_CRITICAL / Math.sqrt(values.length), what + ": Kolmogorov-Smirnov distance " + d
                    + " from U(±" + bound + ") over " + values.length + " values");
            for (float v : values) {
                assertTrue(Math.abs(v) <= bound * (1 + 1e-6), what + ": " + v + " is outside ±" + bound);
            }
            if (values.length >= POWERFUL) {
                for (double wrong : new double[] {1.25 * bound, 0.8 * bound}) {
                    double off = ksDistance(values, uniformCdf(wrong));
                    assertFalse(off <= KS_CRITICAL / Math.sqrt(values.length), what + ": the test cannot tell U(±"
                            + bound + ") from U(±" + wrong + ") (distance " + off + ")");
                }
            }
        };
    }

    /** N(0, 1), and for a large tensor not N(0, 1.25^2). */
    private static Claim normal() {
        return (what, values) -> {
            double d = ksDistance(values, x -> normalCdf(x));
            assertTrue(d <= KS_CRITICAL / Math.sqrt(values.length), what + ": distance " + d + " from N(0, 1)");
            if (values.length >= POWERFUL) {
                double off = ksDistance(values, x -> normalCdf(x / 1.25));
                assertFalse(off <= KS_CRITICAL / Math.sqrt(values.length), what + ": cannot tell N(0, 1) from"
                        + " N(0, 1.5625), distance " + off);
            }
        };
    }

    private static Claim constant(float expected) {
        return (what, values) -> {
            for (float v : values) {
                assertEquals(expected, v, what);
            }
        };
    }

    /** Keras's unit_forget_bias: gates input, forget, cell, output; the forget gate's bias is 1. */
    private static Claim lstmBias(int units) {
        return (what, values) -> {
            for (int i = 0; i < values.length; i++) {
                assertEquals(i >= units && i < 2 * units ? 1f : 0f, values[i], what + " element " + i);
            }
        };
    }

    /** Keras's Orthogonal on its (hidden, gates * hidden) kernel: here, W^T W = I. */
    private static Claim orthonormalColumns(int rows, int cols) {
        return (what, values) -> {
            double worst = 0;
            for (int a = 0; a < cols; a++) {
                for (int b = a; b < cols; b++) {
                    double dot = 0;
                    for (int r = 0; r < rows; r++) {
                        dot += (double) values[r * cols + a] * values[r * cols + b];
                    }
                    worst = Math.max(worst, Math.abs(dot - (a == b ? 1 : 0)));
                }
            }
            assertTrue(worst < 1e-5, what + ": W^T W differs from the identity by " + worst);
        };
    }

    private static DoubleUnaryOperator uniformCdf(double bound) {
        return x -> Math.min(1, Math.max(0, (x + bound) / (2 * bound)));
    }

    /** The largest distance between the sample's empirical distribution function and {@code cdf}. */
    static double ksDistance(float[] values, DoubleUnaryOperator cdf) {
        double[] sorted = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            sorted[i] = values[i];
        }
        Arrays.sort(sorted);
        double d = 0;
        int n = sorted.length;
        for (int i = 0; i < n; i++) {
            double f = cdf.applyAsDouble(sorted[i]);
            d = Math.max(d, Math.max(f - (double) i / n, (double) (i + 1) / n - f));
        }
        return d;
    }

    /** The standard normal distribution function, through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
    private static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429)))) * Math.exp(-z * z);
        return 0.5 * (1 + Math.signum(x) * erf);
    }

    @Test
    void theTestRejectsAWrongBoundAndAcceptsTheRightOne() {
        float[] sample = new float[5000];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (float) ((random.nextDouble() * 2 - 1) * 0.1);
        }
        double critical = KS_CRITICAL / Math.sqrt(sample.length);
        assertTrue(ksDistance(sample, uniformCdf(0.1)) <= critical);
        assertFalse(ksDistance(sample, uniformCdf(0.125)) <= critical);
        assertFalse(ksDistance(sample, uniformCdf(0.08)) <= critical);
    }
}

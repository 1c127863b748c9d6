package io.github.rosettadl.core.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDList;
import ai.djl.util.Pair;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

class ModelShapesTest {

    private static final ImageShape MNIST = new ImageShape(1, 28, 28);
    private static final ImageShape CIFAR = new ImageShape(3, 32, 32);

    static Stream<Arguments> imageModels() {
        List<Arguments> all = new ArrayList<>();
        for (ImageShape input : List.of(MNIST, CIFAR)) {
            all.add(Arguments.of(new SoftmaxRegression.Spec(input, 10)));
            all.add(Arguments.of(new Mlp.Spec(input, 10)));
            all.add(Arguments.of(new SimpleCNN.Spec(input, 10)));
            all.add(Arguments.of(new CifarCNN.Spec(input, 10)));
            all.add(Arguments.of(new TanhCNN.Spec(input, 10)));
            for (RecurrentCell cell : RecurrentCell.values()) {
                all.add(Arguments.of(new RnnClassifier.Spec(input, 10, cell, 64, WeightInit.KERAS)));
            }
        }
        all.add(Arguments.of(new SimpleCNN.Spec(new ImageShape(1, 27, 31), 7, WeightInit.KERAS)));
        all.add(Arguments.of(new Mlp.Spec(MNIST, 3, 16, WeightInit.PYTORCH)));
        all.add(Arguments.of(new TanhCNN.Spec(new ImageShape(1, 16, 17), 4, WeightInit.KERAS)));
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("imageModels")
    void everyImageModelMapsABatchToOneLogitPerClass(ImageModelSpec spec) {
        try (Model model = spec.newModel(Device.cpu());
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray images = manager.randomUniform(0f, 1f, spec.input().withBatch(5));
            NDArray logits = model.getBlock()
                    .forward(new ParameterStore(manager, false), new NDList(images), false).head();
            assertEquals(new Shape(5, spec.classes()), logits.getShape());
            assertEquals(DataType.FLOAT32, logits.getDataType());
            assertTrue(logits.isInfinite().logicalNot().all().getBoolean());
            assertEquals(new Shape(5, spec.classes()),
                    model.getBlock().getOutputShapes(new Shape[] {spec.input().withBatch(5)})[0]);
        }
    }

    @Test
    void simpleCnnKeepsTheSeedLayerNamesAndTheFixedFc1Size() {
        try (Model model = new SimpleCNN.Spec(MNIST, 10).newModel(Device.cpu())) {
            List<String> names = new ArrayList<>();
            Shape fc1 = null;
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                names.add(p.getKey());
                if (p.getKey().endsWith("fc1_weight")) {
                    fc1 = p.getValue().getArray().getShape();
                }
            }
            assertEquals(List.of("01conv1_weight", "01conv1_bias", "02fc1_weight", "02fc1_bias",
                    "03fc2_weight", "03fc2_bias"), names);
            assertEquals(new Shape(128, 32 * 14 * 14), fc1, "the seed's 32*26*26 is a bug; 28x28 pools to 14x14");
        }
    }

    @Test
    void charRnnMapsCharacterWindowsToNextCharacterLogits() {
        CharRnn.Spec spec = new CharRnn.Spec(40, 17);
        try (Model model = spec.newModel(Device.cpu());
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray chars = manager.randomInteger(0, 40, new Shape(3, 17), DataType.INT64);
            NDArray logits = model.getBlock()
                    .forward(new ParameterStore(manager, false), new NDList(chars), false).head();
            assertEquals(new Shape(3, 40), logits.getShape());
            assertEquals(new Shape(40, 32), model.getBlock().getParameters().get("embedding").getArray().getShape());
        }
    }

    @Test
    void kerasInitialisationMakesTheRecurrentKernelOrthonormalAndTheLstmForgetBiasOne() {
        RnnClassifier.Spec spec = new RnnClassifier.Spec(MNIST, 10, RecurrentCell.LSTM, 8, WeightInit.KERAS);
        try (Model model = spec.newModel(Device.cpu())) {
            NDArray h2h = model.getBlock().getParameters().get("01lstm_l_0_h2h_WEIGHT").getArray();
            assertEquals(new Shape(32, 8), h2h.getShape());
            NDArray gram = h2h.transpose().matMul(h2h);
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                assertTrue(gram.sub(m.eye(8)).abs().max().getFloat() < 1e-5f, "columns are orthonormal");
            }
            float[] bias = model.getBlock().getParameters().get("01lstm_l_0_i2h_BIAS").getArray().toFloatArray();
            for (int i = 0; i < bias.length; i++) {
                assertEquals(i >= 8 && i < 16 ? 1f : 0f, bias[i], "bias " + i);
            }
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheValues() {
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> new CifarCNN.Spec(new ImageShape(1, 16, 16), 10));
        assertTrue(tooSmall.getMessage().contains("1x16x16"), tooSmall.getMessage());
        IllegalArgumentException tanhTooSmall = assertThrows(IllegalArgumentException.class,
                () -> new TanhCNN.Spec(new ImageShape(1, 28, 15), 10));
        assertTrue(tanhTooSmall.getMessage().contains("at least 16x16, got 1x28x15"), tanhTooSmall.getMessage());
        IllegalArgumentException oneClass = assertThrows(IllegalArgumentException.class,
                () -> new Mlp.Spec(MNIST, 1));
        assertTrue(oneClass.getMessage().contains("got 1"), oneClass.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageShape(0, 28, 28));
    }
}

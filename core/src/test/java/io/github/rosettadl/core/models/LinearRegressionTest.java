package io.github.rosettadl.core.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

class LinearRegressionTest {

    @Test
    void startsAtZeroLikeTfVariableAndKeepsTheInputShape() {
        try (Model model = Model.newInstance("lr");
                NDManager manager = NDManager.newBaseManager()) {
            LinearRegression block = new LinearRegression();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(3));
            assertEquals(0f, block.weight());
            assertEquals(0f, block.bias());

            block.getParameters().get("weights").getArray().set(new float[] {3f});
            block.getParameters().get("biases").getArray().set(new float[] {2f});
            NDArray x = manager.create(new float[] {-1f, 0f, 2f});
            NDArray out = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(3), out.getShape());
            assertArrayEquals(new float[] {-1f, 2f, 8f}, out.toFloatArray());
            assertEquals(new Shape(3), block.getOutputShapes(new Shape[] {new Shape(3)})[0]);
        }
    }
}

package io.github.rosettadl.core.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import io.github.rosettadl.core.models.ModelSpec;
import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.runtime.TorchRuntime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The name and shape of every weight tensor a spec's model has, found without allocating them: the
 * block is initialised with an initialiser that notes each shape and returns a single number. A
 * description whose arguments would need billions of floats is then refused before any of them is
 * allocated.
 */
final class ParameterShapes {

    private ParameterShapes() {
    }

    /**
     * Every weight tensor of a spec's model, in {@link SeedModel#namedParameters()} order.
     *
     * @param spec the architecture
     * @return the shapes by name
     */
    static Map<String, Shape> of(ModelSpec spec) {
        SeedModel block = spec.newBlock();
        for (Parameter p : block.getParameters().values()) {
            p.setInitializer((manager, shape, dataType) -> manager.create(0f));
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), TorchRuntime.ENGINE_NAME)) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(spec.exampleShape()));
            Map<String, Shape> shapes = new LinkedHashMap<>();
            block.namedParameters().forEach((name, p) -> shapes.put(name, p.getShape()));
            return shapes;
        }
    }

}

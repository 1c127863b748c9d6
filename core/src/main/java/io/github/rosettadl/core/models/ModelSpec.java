package io.github.rosettadl.core.models;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.rosettadl.core.runtime.TorchRuntime;

/**
 * Everything needed to rebuild a model: its name and its constructor arguments. A checkpoint stores
 * the spec as JSON, and loading builds the same architecture from it before reading the weights.
 */
public sealed interface ModelSpec permits ImageModelSpec, CharRnn.Spec {

    /**
     * The model's name on the command line and in checkpoints.
     *
     * @return for example {@code simple-cnn}
     */
    String modelName();

    /**
     * The shape of one input example, without the batch axis; -1 marks a free sequence length.
     *
     * @return {@code (C, H, W)} for images, {@code (-1)} for character sequences
     */
    Shape exampleShape();

    /**
     * The data type of the input.
     *
     * @return float32 for pixels, int64 for character indices
     */
    DataType inputType();

    /**
     * The number of output logits: classes, or the vocabulary size.
     *
     * @return the output width
     */
    int outputs();

    /**
     * A new, uninitialised block of this architecture.
     *
     * @return the block
     */
    SeedModel newBlock();

    /**
     * A new DJL model holding this architecture, initialised from the engine's random generator:
     * seed the engine first ({@code Engine.getEngine("PyTorch").setRandomSeed(seed)}) for
     * reproducible weights.
     *
     * @param device where the parameters live
     * @return the model; the caller closes it
     */
    default Model newModel(Device device) {
        Model model = Model.newInstance(modelName(), device, TorchRuntime.ENGINE_NAME);
        try {
            SeedModel block = newBlock();
            model.setBlock(block);
            long[] dims = exampleShape().getShape();
            long[] withBatch = new long[dims.length + 1];
            withBatch[0] = 1;
            for (int i = 0; i < dims.length; i++) {
                withBatch[i + 1] = dims[i] < 0 ? 1 : dims[i];
            }
            // the data type here is the parameters' type, float32 even for int64 character input
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(withBatch));
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}

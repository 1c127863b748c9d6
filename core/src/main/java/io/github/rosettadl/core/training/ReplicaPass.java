package io.github.rosettadl.core.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.precision.Precision;

import java.util.List;

/**
 * Forward and backward of one part of a batch on one copy of the model, in float32 or float16: the
 * step of {@link TrainingSession} without its update, for {@link DataParallel}.
 *
 * <p>In float16 ({@code torch.autocast}'s job, which DJL does not have) the flat float32 weights are
 * cast to one float16 leaf, the input to float16, and the float16 logits are promoted to float32
 * before the log-softmax by multiplying them with a float32 one: DJL's {@code toType} cuts the
 * autograd graph, while a type-promoting product keeps it, and its backward casts the gradient back
 * to float16. Batch norm's scale and shift stay float32 the same way, as its running averages
 * are. The flat gradient arrives in float16 and is returned in float32.
 */
final class ReplicaPass {

    private final SeedModel block;
    private final FlatParameters parameters;
    private final ParameterStore parameterStore;
    private final Engine engine;
    private final Precision precision;
    private final NDArray floatOne;
    private final boolean[] keepFloat32;

    ReplicaPass(SeedModel block, FlatParameters parameters, ParameterStore parameterStore, Precision precision) {
        this.block = block;
        this.parameters = parameters;
        this.parameterStore = parameterStore;
        this.precision = precision;
        engine = parameters.manager().getEngine();
        floatOne = parameters.manager().ones(new Shape(1));
        List<Parameter> trained = block.trainedParameters();
        keepFloat32 = new boolean[trained.size()];
        for (int i = 0; i < keepFloat32.length; i++) {
            Parameter.Type type = trained.get(i).getType();
            // libtorch's CPU batch norm wants its scale and shift in the running averages' type, float32
            keepFloat32[i] = type == Parameter.Type.GAMMA || type == Parameter.Type.BETA;
        }
    }

    /**
     * What one pass gives.
     *
     * @param loss the part's mean loss
     * @param correct the part's correct predictions, an int64 scalar on the replica's device
     * @param gradient the flat float32 mean gradient of {@code lossSeed} times the loss, on the
     *     replica's device
     */
    record Result(float loss, NDArray correct, NDArray gradient) {
    }

    /**
     * Runs forward and backward. Every array it makes joins {@code step}.
     *
     * @param x the part's input, on the replica's device
     * @param y the part's int64 labels
     * @param lossSeed what the mean loss is multiplied by before backward: 1, or a loss scale
     * @param step the manager that owns the step's arrays
     * @return the loss, the correct count and the gradient
     */
    Result run(NDArray x, NDArray y, float lossSeed, NDManager step) {
        NDArray leaf;
        NDArray logits;
        float loss;
        try (GradientCollector collector = engine.newGradientCollector()) {
            leaf = parameters.bind(step, precision.dataType(), keepFloat32, floatOne);
            NDArray input = x.getDataType() == precision.dataType() ? x : x.toType(precision.dataType(), false);
            logits = block.forward(parameterStore, new NDList(input), true).head();
            if (logits.getDataType() != DataType.FLOAT32) {
                logits = logits.mul(floatOne);
            }
            NDArray logLikelihood = SoftmaxCrossEntropy.meanLabelLogProbability(logits, y);
            loss = -logLikelihood.toByteBuffer(false).getFloat();
            // d(seed * loss) = -seed * d(log-likelihood)
            NDArray seed = parameters.manager().create(-lossSeed);
            seed.attach(step);
            JniUtils.backward((PtNDArray) logLikelihood, (PtNDArray) seed, false, false);
        }
        NDArray correct = logits.argMax(1).eq(y).sum();
        NDArray gradient = leaf.getGradient();
        if (gradient.getDataType() != DataType.FLOAT32) {
            NDArray half = gradient;
            gradient = half.toType(DataType.FLOAT32, false);
            half.close();
            parameters.pointAtValues();
        }
        return new Result(loss, correct, gradient);
    }
}

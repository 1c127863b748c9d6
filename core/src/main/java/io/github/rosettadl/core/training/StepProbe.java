package io.github.rosettadl.core.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.models.SeedModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The forward and backward half of one {@link TrainingSession} step, kept for inspection: the
 * logits, the loss and every trained parameter's gradient, for comparing with another framework.
 * It uses the step's own pieces: the flat binding of the parameters, a training-mode forward pass,
 * {@link SoftmaxCrossEntropy}'s mean log-likelihood and a backward pass from -1.
 *
 * <p>It changes the model as a training step's forward pass does (batch norm's running statistics),
 * but not its weights: the optimiser step is the session's ({@link TrainingSession#trainEpoch}).
 */
public final class StepProbe {

    private StepProbe() {
    }

    /**
     * What one forward and backward pass gave.
     *
     * @param logits the {@code (N, K)} logits, on the caller's manager
     * @param loss the mean cross-entropy
     * @param gradients the gradient of the loss for each trained parameter, by
     *     {@link SeedModel#namedParameters()} name, in the optimiser's order, on the caller's manager
     */
    public record Result(NDArray logits, float loss, Map<String, NDArray> gradients) {
    }

    /**
     * Runs one training-mode forward and backward pass on a batch.
     *
     * @param model a model whose block is a {@link SeedModel}
     * @param x the inputs
     * @param y int64 labels
     * @param out where the results live; the caller closes it
     * @return the logits, loss and gradients
     */
    public static Result run(Model model, NDArray x, NDArray y, NDManager out) {
        SeedModel block = (SeedModel) model.getBlock();
        Map<String, Parameter> trained = block.namedParameters().entrySet().stream()
                .filter(e -> e.getValue().requiresGradient())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        List<NDArray> arrays = trained.values().stream().map(Parameter::getArray).toList();
        Engine engine = model.getNDManager().getEngine();
        JniUtils.setGradMode(false);
        try (FlatParameters parameters = new FlatParameters(arrays, model.getNDManager());
                NDManager step = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(model.getNDManager(), false);
            NDArray leaf;
            NDArray logits;
            float loss;
            try (GradientCollector collector = engine.newGradientCollector()) {
                leaf = parameters.bind(step);
                logits = block.forward(store, new NDList(x), true).head();
                NDArray logLikelihood = SoftmaxCrossEntropy.meanLabelLogProbability(logits, y);
                loss = -logLikelihood.getFloat();
                try (NDArray minusOne = step.create(-1f)) {
                    JniUtils.backward((PtNDArray) logLikelihood, (PtNDArray) minusOne, false, false);
                }
            }
            NDArray flat = leaf.getGradient();
            Map<String, NDArray> gradients = new LinkedHashMap<>();
            long offset = 0;
            for (Map.Entry<String, Parameter> p : trained.entrySet()) {
                NDArray array = p.getValue().getArray();
                long n = array.size();
                NDArray part = flat.get(offset + ":" + (offset + n)).reshape(array.getShape()).duplicate();
                part.attach(out);
                gradients.put(p.getKey(), part);
                offset += n;
            }
            NDArray kept = logits.duplicate();
            kept.attach(out);
            // the parameters point into the flat buffer that closes here: give each its own copy back
            for (NDArray array : arrays) {
                array.intern(array.duplicate());
            }
            return new Result(kept, loss, gradients);
        }
    }
}

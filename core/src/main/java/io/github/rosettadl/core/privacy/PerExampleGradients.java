package io.github.rosettadl.core.privacy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.models.LayerInterceptor;
import io.github.rosettadl.core.models.SeedModel;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-example gradients of one batch, layer by layer, from one forward and one backward pass.
 *
 * <p>DJL blocks have no hooks, so each dense ({@link Linear}) and 2-D convolution ({@link Conv2d})
 * layer's output gets a zero "probe" leaf added to it (through {@link LayerInterceptor}); backward
 * of the summed per-example losses then leaves each layer's output gradient {@code g} on its probe,
 * and the layer's input {@code a} was kept on the way. The parameters themselves take no gradient
 * in that pass. From {@code a} and {@code g}, per example {@code i}:
 *
 * <ul>
 *   <li>dense on {@code (N, in)} inputs: the weight gradient is the outer product {@code g_i a_i^T},
 *       whose squared norm is {@code |g_i|^2 |a_i|^2} (never formed: Goodfellow 2015's trick); the
 *       bias gradient is {@code g_i}; the clipped sum is one matrix product {@code (c * g)^T a};</li>
 *   <li>dense on longer inputs and convolutions: the weight gradient is {@code G_i U_i^T}, a batched
 *       matrix product, where {@code G_i} is {@code g_i} as {@code (C_out, L)} and {@code U_i} the
 *       input's {@code (C_in k_h k_w, L)} patches ({@code unfold}, made by one convolution with an
 *       identity kernel); the bias gradient is {@code G_i} summed over positions.</li>
 * </ul>
 *
 * <p>This is exact (no approximation) and costs about one forward, one backward and one batched
 * product per layer, against one backward per example for the naive loop. In PyTorch this is what
 * Opacus's {@code GradSampleModule} does with its module hooks:
 *
 * <pre>{@code
 * # Opacus, grad_sample/linear.py and conv.py
 * gs = torch.einsum("n...i,n...j->nij", backprops, activations)
 * unfolded = torch.nn.functional.unfold(activations, kernel_size, padding=padding, stride=stride)
 * gs = torch.einsum("noq,npq->nop", backprops.reshape(n, -1, q), unfolded)
 * }</pre>
 *
 * <p>Every other layer with trained parameters (batch norm, recurrent layers) is refused: batch
 * norm mixes the examples of a batch, so per-example gradients are not defined for it.
 */
public final class PerExampleGradients {

    private final List<LayerPart> parts;
    private final Map<Parameter, Integer> order;
    private final List<Parameter> parameters;
    private final NDArray logits;
    private final float meanLoss;
    private final long batch;

    private PerExampleGradients(List<LayerPart> parts, List<Parameter> parameters, NDArray logits, float meanLoss,
            long batch) {
        this.parts = parts;
        this.parameters = parameters;
        this.order = new IdentityHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            order.put(parameters.get(i), i);
        }
        this.logits = logits;
        this.meanLoss = meanLoss;
        this.batch = batch;
    }

    /**
     * Runs the forward pass and one backward pass of the summed cross-entropy, keeping what each
     * layer needs for its per-example gradients. Every array lives under {@code x}'s manager.
     *
     * @param model the model; every trained parameter must belong to a dense or 2-D convolution layer
     * @param parameterStore the forward pass's parameter store
     * @param x the input batch, at least one example
     * @param y the int64 {@code (N)} labels
     * @param parameters the trained parameters, in the order of the flat gradient
     * @return the per-example gradients
     * @throws IllegalArgumentException when the model has a trained layer of another kind
     */
    public static PerExampleGradients compute(SeedModel model, ParameterStore parameterStore, NDArray x, NDArray y,
            List<Parameter> parameters) {
        Probes probes = new Probes(model);
        NDArray logits;
        float meanLoss;
        NDManager manager = x.getManager();
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            try (LayerInterceptor.Installed on = LayerInterceptor.install(probes)) {
                logits = model.forward(parameterStore, new NDList(x), true).head();
            }
            NDArray logLikelihood = logits.logSoftmax(1).gather(y.reshape(-1, 1), 1).sum();
            meanLoss = -logLikelihood.getFloat() / y.size();
            try (NDArray minusOne = manager.create(-1f)) {
                JniUtils.backward((PtNDArray) logLikelihood, (PtNDArray) minusOne, false, false);
            }
        }
        List<LayerPart> parts = new ArrayList<>();
        Map<Parameter, String> covered = new IdentityHashMap<>();
        for (Probe probe : probes.probes) {
            NDArray g = probe.probe.getGradient();
            parts.add(LayerPart.of(probe.layer, probe.input, g));
            for (Parameter p : probe.layer.getParameters().values()) {
                if (covered.put(p, probe.layer.toString()) != null) {
                    throw new IllegalArgumentException("Layer " + probe.layer + " of " + model.spec().modelName()
                            + " runs twice in one forward pass; per-example gradients here need each layer once.");
                }
            }
        }
        Map<String, Parameter> named = model.namedParameters();
        for (Map.Entry<String, Parameter> entry : named.entrySet()) {
            if (entry.getValue().requiresGradient() && !covered.containsKey(entry.getValue())) {
                throw new IllegalArgumentException(unsupported(model, entry.getKey()));
            }
        }
        return new PerExampleGradients(parts, parameters, logits.stopGradient(), meanLoss, y.size());
    }

    private static String unsupported(SeedModel model, String parameter) {
        return "DP-SGD computes per-example gradients for dense and 2-D convolution layers only, and the"
                + " parameter '" + parameter + "' of " + model.spec().modelName() + " belongs to neither.";
    }

    /**
     * The batch's scores.
     *
     * @return {@code (N, K)} logits, detached
     */
    public NDArray logits() {
        return logits;
    }

    /**
     * The batch's mean cross-entropy.
     *
     * @return the mean loss
     */
    public float meanLoss() {
        return meanLoss;
    }

    /**
     * The L2 norm of each example's gradient over every trained parameter.
     *
     * @return {@code (N)} norms
     */
    public NDArray norms() {
        NDArray squared = null;
        for (LayerPart part : parts) {
            NDArray s = part.squaredNorms();
            squared = squared == null ? s : squared.add(s);
        }
        return squared.sqrt();
    }

    /**
     * The sum over examples of each example's gradient times its weight, flattened and concatenated in
     * parameter order.
     *
     * @param weights {@code (N)} weights, for DP-SGD the clipping factors {@code min(1, C / norm)}
     * @return the flat weighted sum, as many values as the parameters have
     */
    public NDArray weightedSum(NDArray weights) {
        if (weights.size() != batch) {
            throw new IllegalArgumentException("Give one weight per example: " + batch + " examples, "
                    + weights.size() + " weights.");
        }
        NDArray[] sums = new NDArray[parameters.size()];
        for (LayerPart part : parts) {
            for (Map.Entry<Parameter, NDArray> e : part.weightedSums(weights).entrySet()) {
                sums[order.get(e.getKey())] = e.getValue().reshape(-1);
            }
        }
        return NDArrays.concat(new NDList(sums));
    }

    private record Probe(Block layer, NDArray input, NDArray probe) {
    }

    /** Adds a zero leaf to each dense and convolution output and keeps the layer's input. */
    private static final class Probes implements LayerInterceptor {

        private final SeedModel model;
        private final List<Probe> probes = new ArrayList<>();

        Probes(SeedModel model) {
            this.model = model;
        }

        @Override
        public NDArray call(Block layer, ParameterStore parameterStore, NDArray x, boolean training) {
            NDArray out = layer.forward(parameterStore, new NDList(x), training).head();
            if (layer instanceof Linear || layer instanceof Conv2d) {
                NDArray probe = out.zerosLike();
                probe.setRequiresGradient(true);
                probes.add(new Probe(layer, x.stopGradient(), probe));
                return out.add(probe);
            }
            for (Parameter p : layer.getParameters().values()) {
                if (p.requiresGradient()) {
                    throw new IllegalArgumentException(unsupported(model, layer + " " + p.getName()));
                }
            }
            return out;
        }
    }

    /** One layer's per-example gradient norms and weighted sums. */
    private abstract static class LayerPart {

        final Parameter weight;
        final Parameter bias;

        LayerPart(Block layer) {
            Parameter w = null;
            Parameter b = null;
            for (Parameter p : layer.getParameters().values()) {
                if (p.getType() == Parameter.Type.WEIGHT) {
                    w = p;
                } else if (p.getType() == Parameter.Type.BIAS) {
                    b = p;
                }
            }
            weight = w;
            bias = b;
        }

        static LayerPart of(Block layer, NDArray a, NDArray g) {
            long n = a.getShape().get(0);
            if (layer instanceof Linear) {
                if (a.getShape().dimension() == 2) {
                    return new OuterProductPart(layer, a, g);
                }
                long in = a.getShape().get(a.getShape().dimension() - 1);
                long out = g.getShape().get(g.getShape().dimension() - 1);
                return new BatchedProductPart(layer, g.reshape(n, -1, out).transpose(0, 2, 1), a.reshape(n, -1, in));
            }
            Conv2d conv = (Conv2d) layer;
            if (conv.getGroups() != 1) {
                throw new IllegalArgumentException("Per-example gradients of grouped convolutions are not"
                        + " implemented; layer " + layer + " has " + conv.getGroups() + " groups.");
            }
            NDArray patches = patches(a, conv, g.getShape().get(2), g.getShape().get(3));
            long cOut = g.getShape().get(1);
            return new BatchedProductPart(layer, g.reshape(n, cOut, -1), patches.transpose(0, 2, 1));
        }

        /**
         * The input's patches as {@code (N, C k_h k_w, H_out W_out)}, in the weight's (c, p, r) order:
         * {@code F.unfold}, made of {@code k_h k_w} strided slices of the padded input.
         */
        private static NDArray patches(NDArray a, Conv2d conv, long outHeight, long outWidth) {
            Shape kernel = conv.getKernelShape();
            Shape stride = conv.getStride();
            Shape padding = conv.getPadding();
            Shape dilation = conv.getDilation();
            NDArray padded = padding.get(0) == 0 && padding.get(1) == 0 ? a
                    : a.pad(new Shape(padding.get(1), padding.get(1), padding.get(0), padding.get(0)), 0);
            NDList slices = new NDList();
            for (long p = 0; p < kernel.get(0); p++) {
                for (long r = 0; r < kernel.get(1); r++) {
                    long top = p * dilation.get(0);
                    long left = r * dilation.get(1);
                    slices.add(padded.get(new NDIndex(":, :, {}:{}:{}, {}:{}:{}", top,
                            top + (outHeight - 1) * stride.get(0) + 1, stride.get(0), left,
                            left + (outWidth - 1) * stride.get(1) + 1, stride.get(1))));
                }
            }
            long n = a.getShape().get(0);
            return NDArrays.stack(slices, 2).reshape(n, a.getShape().get(1) * kernel.size(), outHeight * outWidth);
        }

        abstract NDArray squaredNorms();

        abstract Map<Parameter, NDArray> weightedSums(NDArray weights);
    }

    /** A dense layer on {@code (N, in)}: norms from the two vectors' norms, never the outer product. */
    private static final class OuterProductPart extends LayerPart {

        private final NDArray a;
        private final NDArray g;

        OuterProductPart(Block layer, NDArray a, NDArray g) {
            super(layer);
            this.a = a;
            this.g = g;
        }

        @Override
        NDArray squaredNorms() {
            NDArray gg = g.square().sum(new int[] {1});
            NDArray aa = a.square().sum(new int[] {1});
            return bias == null ? gg.mul(aa) : gg.mul(aa.add(1f));
        }

        @Override
        Map<Parameter, NDArray> weightedSums(NDArray weights) {
            NDArray scaled = g.mul(weights.reshape(-1, 1));
            Map<Parameter, NDArray> sums = new IdentityHashMap<>();
            sums.put(weight, scaled.transpose().matMul(a));
            if (bias != null) {
                sums.put(bias, scaled.sum(new int[] {0}));
            }
            return sums;
        }
    }

    /**
     * Per-example weight gradients {@code G_i P_i} as one batched product: {@code G (N, out, L)}, the
     * output gradient, and {@code P (N, L, in)}, the input (or its patches) per position.
     */
    private static final class BatchedProductPart extends LayerPart {

        private final NDArray perExampleWeight;
        private final NDArray perExampleBias;

        BatchedProductPart(Block layer, NDArray g, NDArray p) {
            super(layer);
            perExampleWeight = g.batchMatMul(p);
            perExampleBias = bias == null ? null : g.sum(new int[] {2});
        }

        @Override
        NDArray squaredNorms() {
            NDArray w = perExampleWeight.square().sum(new int[] {1, 2});
            return perExampleBias == null ? w : w.add(perExampleBias.square().sum(new int[] {1}));
        }

        @Override
        Map<Parameter, NDArray> weightedSums(NDArray weights) {
            Map<Parameter, NDArray> sums = new IdentityHashMap<>();
            sums.put(weight, perExampleWeight.mul(weights.reshape(-1, 1, 1)).sum(new int[] {0})
                    .reshape(weight.getArray().getShape()));
            if (bias != null) {
                sums.put(bias, perExampleBias.mul(weights.reshape(-1, 1)).sum(new int[] {0}));
            }
            return sums;
        }
    }
}

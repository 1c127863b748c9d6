package io.github.rosettadl.core.training;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;

/**
 * libtorch's fused Adam kernel, the one behind {@code torch.optim.Adam(fused=True)}: one pass over
 * the parameters, gradients and moments, where Adam written as separate tensor ops makes ten or more.
 *
 * <p>DJL has no binding for {@code torch._fused_adam_}, but it runs TorchScript, and a TorchScript
 * file is compiled from its source text when it is loaded. The module in this package's
 * {@code fused-adam.pt} (written by {@code pytorch/fused_adam_module.py}) is one call of the op. Its
 * CPU kernel exists from PyTorch 2.4 on; with an older libtorch the module does not compile and
 * {@link #load} returns {@code null}.
 */
final class FusedAdamKernel {

    private static final Logger LOG = LoggerFactory.getLogger(FusedAdamKernel.class);
    private static final String RESOURCE = "fused-adam.pt";

    /** Set when this process's libtorch could not compile the module: it is not tried again. */
    private static volatile boolean missing;

    private final PtSymbolBlock module;
    private final IValue parameters;
    private final IValue expAvg;
    private final IValue expAvgSq;
    private final IValue beta1;
    private final IValue beta2;
    private final IValue epsilon;

    private FusedAdamKernel(PtSymbolBlock module, NDManager manager, NDArray parameters, NDArray expAvg,
            NDArray expAvgSq, double beta1, double beta2, double epsilon) {
        this.module = module;
        // the same buffers every step, updated in place: their arguments are made once
        this.parameters = owned(manager, IValue.listFrom((PtNDArray) parameters));
        this.expAvg = owned(manager, IValue.listFrom((PtNDArray) expAvg));
        this.expAvgSq = owned(manager, IValue.listFrom((PtNDArray) expAvgSq));
        this.beta1 = owned(manager, IValue.from(beta1));
        this.beta2 = owned(manager, IValue.from(beta2));
        this.epsilon = owned(manager, IValue.from(epsilon));
    }

    private static IValue owned(NDManager manager, IValue value) {
        manager.attachInternal(value.getUid(), value);
        return value;
    }

    /**
     * Loads the kernel's module for a set of buffers, under the manager that closes them.
     *
     * @param manager the buffers' manager, which closes the module and its arguments
     * @param parameters the flat parameters
     * @param expAvg the first moment, the parameters' size
     * @param expAvgSq the second moment, the parameters' size
     * @param beta1 the first moment's decay
     * @param beta2 the second moment's decay
     * @param epsilon added to the denominator
     * @return the kernel, or {@code null} when this engine cannot run it (then logged once per process)
     */
    static FusedAdamKernel load(NDManager manager, NDArray parameters, NDArray expAvg, NDArray expAvgSq,
            double beta1, double beta2, double epsilon) {
        if (missing) {
            return null;
        }
        try (InputStream in = FusedAdamKernel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The class path lacks " + RESOURCE + " beside "
                        + FusedAdamKernel.class.getName() + ".");
            }
            FusedAdamKernel kernel = load(in, manager, parameters, expAvg, expAvgSq, beta1, beta2, epsilon);
            missing = kernel == null && manager instanceof PtNDManager;
            return kernel;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE + " from the class path.", e);
        }
    }

    /** {@link #load} from a given TorchScript module, which a test can replace. */
    static FusedAdamKernel load(InputStream moduleFile, NDManager manager, NDArray parameters, NDArray expAvg,
            NDArray expAvgSq, double beta1, double beta2, double epsilon) throws IOException {
        if (!(manager instanceof PtNDManager pytorch)) {
            return null;
        }
        PtSymbolBlock module;
        try {
            module = JniUtils.loadModule(pytorch, moduleFile, false, false);
        } catch (EngineException e) {
            LOG.info("This libtorch has no fused Adam kernel (PyTorch 2.4 or later has it); Adam runs as "
                    + "separate tensor ops: {}", String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return null;
        }
        return new FusedAdamKernel(module, manager, parameters, expAvg, expAvgSq, beta1, beta2, epsilon);
    }

    /**
     * One Adam step over the buffers, in place, with {@code torch.optim.Adam}'s rule and no weight
     * decay.
     *
     * @param gradients the flat gradients
     * @param step a float32 scalar holding the number of this step, from 1, for the bias corrections
     * @param learningRate the learning rate
     */
    void step(NDArray gradients, NDArray step, double learningRate) {
        try (IValue g = IValue.listFrom((PtNDArray) gradients);
                IValue t = IValue.listFrom((PtNDArray) step);
                IValue lr = IValue.from(learningRate);
                IValue none = module.forward(parameters, g, expAvg, expAvgSq, t, lr, beta1, beta2, epsilon)) {
            // the op updates its arguments; the module returns None
        }
    }
}

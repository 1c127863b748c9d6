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

    private final PtSymbolBlock module;

    private FusedAdamKernel(PtSymbolBlock module) {
        this.module = module;
    }

    /**
     * Loads the kernel's module under a manager, which closes it.
     *
     * @param manager the manager of the buffers it will update
     * @return the kernel, or {@code null} when this engine cannot run it
     */
    static FusedAdamKernel load(NDManager manager) {
        if (!(manager instanceof PtNDManager pytorch)) {
            return null;
        }
        try (InputStream in = FusedAdamKernel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The class path lacks " + RESOURCE + " beside "
                        + FusedAdamKernel.class.getName() + ".");
            }
            return new FusedAdamKernel(JniUtils.loadModule(pytorch, in, false, false));
        } catch (EngineException e) {
            LOG.info("This libtorch has no fused Adam kernel (PyTorch 2.4 or later has it); Adam runs as "
                    + "separate tensor ops: {}", e.getMessage().lines().findFirst().orElse(""));
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE + " from the class path.", e);
        }
    }

    /**
     * One Adam step, in place, with {@code torch.optim.Adam}'s rule and no weight decay.
     *
     * @param parameters the flat parameters
     * @param gradients their gradients
     * @param expAvg the first moment
     * @param expAvgSq the second moment
     * @param step a float32 scalar holding the number of this step, from 1, for the bias corrections
     * @param learningRate the learning rate
     * @param beta1 the first moment's decay
     * @param beta2 the second moment's decay
     * @param epsilon added to the denominator
     */
    void step(NDArray parameters, NDArray gradients, NDArray expAvg, NDArray expAvgSq, NDArray step,
            double learningRate, double beta1, double beta2, double epsilon) {
        try (IValue p = IValue.listFrom((PtNDArray) parameters);
                IValue g = IValue.listFrom((PtNDArray) gradients);
                IValue m = IValue.listFrom((PtNDArray) expAvg);
                IValue v = IValue.listFrom((PtNDArray) expAvgSq);
                IValue t = IValue.listFrom((PtNDArray) step);
                IValue lr = IValue.from(learningRate);
                IValue b1 = IValue.from(beta1);
                IValue b2 = IValue.from(beta2);
                IValue eps = IValue.from(epsilon);
                IValue none = module.forward(p, g, m, v, t, lr, b1, b2, eps)) {
            // the op updates its arguments; the module returns None
        }
    }
}

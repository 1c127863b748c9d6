package io.github.rosettadl.core.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Starts DJL's PyTorch engine once with chosen thread pools and resolves the requested devices.
 *
 * <pre>{@code
 * TorchRuntime runtime = TorchRuntime.start(DeviceSpec.parse("auto"), EngineThreads.defaults());
 * Device device = runtime.device();
 * }</pre>
 *
 * @param engine the started PyTorch engine
 * @param devices the devices resolved from the request, never empty
 * @param intraOpThreads the intra-op threads libtorch reports after start
 * @param interOpThreads the inter-op threads libtorch reports after start
 */
public record TorchRuntime(Engine engine, List<Device> devices, int intraOpThreads, int interOpThreads) {

    private static final Logger LOG = LoggerFactory.getLogger(TorchRuntime.class);

    /** DJL's name for the PyTorch engine. */
    public static final String ENGINE_NAME = "PyTorch";

    /**
     * Starts the engine (the first call in a JVM fixes the inter-op pool), resolves the devices
     * and logs one start-up line.
     *
     * @param deviceSpec the requested devices
     * @param threads the thread pools to use; intra-op is re-applied on every call
     * @return the running engine and its devices
     * @throws DeviceUnavailableException when a requested GPU is not usable
     */
    public static TorchRuntime start(DeviceSpec deviceSpec, EngineThreads threads) {
        // libtorch reads these once, when the engine is created; user -D flags win.
        if (System.getProperty(EngineThreads.INTER_OP_PROPERTY) == null) {
            System.setProperty(EngineThreads.INTER_OP_PROPERTY, Integer.toString(threads.interOp()));
        }
        if (System.getProperty(EngineThreads.INTRA_OP_PROPERTY) == null) {
            System.setProperty(EngineThreads.INTRA_OP_PROPERTY, Integer.toString(threads.intraOp()));
        }
        Engine engine = Engine.getEngine(ENGINE_NAME);
        // the intra-op pool may be resized at any time, so a later call with other counts still applies
        JniUtils.setNumThreads(threads.intraOp());
        List<Device> devices = deviceSpec.resolve(engine);
        TorchRuntime runtime = new TorchRuntime(
                engine, devices, JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
        LOG.info(runtime.startupLine());
        return runtime;
    }

    /**
     * The first resolved device, for single-device training.
     *
     * @return the device to put models and data on
     */
    public Device device() {
        return devices.get(0);
    }

    /**
     * One line that says what this run uses, for logs and result files.
     *
     * @return for example {@code PyTorch 2.7.1 (DJL 0.36.0) on cpu(), 2 intra-op / 1 inter-op threads}
     */
    public String startupLine() {
        return engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion()
                + ") on " + devices + ", " + intraOpThreads + " intra-op / " + interOpThreads
                + " inter-op threads";
    }
}

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

    private static volatile boolean threadsChosen;

    /** DJL's name for the PyTorch engine. */
    public static final String ENGINE_NAME = "PyTorch";

    /**
     * Starts the engine with each model's default thread counts: {@link io.github.rosettadl.core.training.TrainingSession} sets them
     * when a model trains ({@link EngineThreads#defaultsFor(String)}).
     *
     * @param deviceSpec which devices to use
     * @return the runtime
     * @throws DeviceUnavailableException when the devices asked for are not there
     */
    public static TorchRuntime start(DeviceSpec deviceSpec) {
        return start(deviceSpec, null);
    }

    /**
     * Tunes the native allocator ({@link NativeAllocator}), starts the engine with the given thread
     * counts and resolves the devices.
     *
     * @param deviceSpec which devices to use
     * @param threads the thread counts, or null for each model's defaults
     * @return the runtime
     * @throws DeviceUnavailableException when the devices asked for are not there
     */
    public static TorchRuntime start(DeviceSpec deviceSpec, EngineThreads threads) {
        threadsChosen = threads != null || System.getProperty(EngineThreads.INTRA_OP_PROPERTY) != null;
        EngineThreads counts = threads != null ? threads : EngineThreads.defaults();
        Engine engine = startEngine(counts);
        // the intra-op pool may be resized at any time, so a later call with other counts still applies
        JniUtils.setNumThreads(counts.intraOp());
        List<Device> devices = deviceSpec.resolve(engine);
        TorchRuntime runtime = new TorchRuntime(
                engine, devices, JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
        LOG.info(runtime.startupLine());
        return runtime;
    }

    /**
     * Makes sure the engine runs with the allocator tuned, and gives it a model's default intra-op
     * thread count unless a caller chose one: what
     * {@link io.github.rosettadl.core.training.TrainingSession#start} calls, so a program that never
     * calls {@link #start} trains as the command line does.
     *
     * @param defaults the model's default thread counts
     */
    public static void prepareFor(EngineThreads defaults) {
        startEngine(defaults);
        if (!threadsChosen && System.getProperty(EngineThreads.INTRA_OP_PROPERTY) == null) {
            JniUtils.setNumThreads(defaults.intraOp());
        }
    }

    private static Engine startEngine(EngineThreads threads) {
        NativeAllocator.tune();
        // libtorch reads these once, when the engine is created; user -D flags win.
        if (System.getProperty(EngineThreads.INTER_OP_PROPERTY) == null) {
            System.setProperty(EngineThreads.INTER_OP_PROPERTY, Integer.toString(threads.interOp()));
        }
        if (System.getProperty(EngineThreads.INTRA_OP_PROPERTY) == null && threadsChosen) {
            System.setProperty(EngineThreads.INTRA_OP_PROPERTY, Integer.toString(threads.intraOp()));
        }
        return Engine.getEngine(ENGINE_NAME);
    }

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
                + ") on " + devices + ", " + JniUtils.getNumThreads() + " intra-op / " + interOpThreads
                + " inter-op threads";
    }
}

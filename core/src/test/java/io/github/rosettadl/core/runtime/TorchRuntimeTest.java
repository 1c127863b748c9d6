package io.github.rosettadl.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;

import org.junit.jupiter.api.Test;

import java.util.List;

class TorchRuntimeTest {

    @Test
    void startsPyTorch271OnTheCpuWithoutTheNetwork() {
        assertTrue(Utils.isOfflineMode(), "tests must run with DJL_OFFLINE=true, as surefire sets it");
        TorchRuntime runtime = TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
        assertEquals("PyTorch", runtime.engine().getEngineName());
        assertEquals("2.7.1", runtime.engine().getVersion());
        assertEquals(List.of(Device.cpu()), runtime.devices());
        assertEquals(1, runtime.intraOpThreads());
        assertEquals(1, runtime.interOpThreads(), "inter-op threads default to 1, measured faster here");
        assertTrue(runtime.startupLine().startsWith("PyTorch 2.7.1 (DJL 0.36.0) on [cpu()], 1 intra-op / 1 inter-op"),
                runtime.startupLine());
        try (NDManager manager = NDManager.newBaseManager(runtime.device())) {
            NDArray sum = manager.create(new float[] {1f, 2f, 3f}).sum();
            assertEquals(6f, sum.getFloat());
        }
    }

    @Test
    void explicitGpuOnACpuOnlyMachineFailsBeforeTheFirstArray() {
        TorchRuntime cpu = TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.defaults());
        assumeTrue(cpu.engine().getGpuCount() == 0, "this machine has a GPU");
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> TorchRuntime.start(DeviceSpec.parse("gpu:0"), EngineThreads.defaults()));
        assertTrue(e.getMessage().contains("reports no GPU"), e.getMessage());
        assertEquals(List.of(Device.cpu()),
                TorchRuntime.start(DeviceSpec.parse("auto"), EngineThreads.defaults()).devices());
    }

    @Test
    void threadCountsBelowOneAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EngineThreads(0, 1));
        assertTrue(e.getMessage().contains("intra-op 0"), e.getMessage());
    }
}

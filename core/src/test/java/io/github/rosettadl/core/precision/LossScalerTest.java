package io.github.rosettadl.core.precision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LossScalerTest {

    @BeforeAll
    static void engine() {
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
    }

    @Test
    void startsWithGradScalersDefaults() {
        LossScaler scaler = new LossScaler();
        assertEquals(65536f, scaler.scale());
        assertEquals(0, scaler.growthTracker());
        assertEquals(0, scaler.skippedSteps());
    }

    @Test
    void unscalingDividesByTheScaleAndFindsNothingWrongInFiniteGradients() {
        LossScaler scaler = new LossScaler();
        try (NDManager manager = NDManager.newBaseManager();
                NDArray scaled = manager.create(new float[] {65536f, -32768f, 3f * 65536f, 0f, 1e-3f})) {
            assertTrue(scaler.unscale(scaled));
            assertArrayEquals(new float[] {1f, -0.5f, 3f, 0f, 1e-3f / 65536f}, scaled.toFloatArray());
        }
    }

    @Test
    void anInfinityOrNanAnywhereIsAnOverflow() {
        LossScaler scaler = new LossScaler();
        float[][] cases = {
            {1f, Float.POSITIVE_INFINITY, 2f},
            {Float.NEGATIVE_INFINITY, 0f, 0f},
            {0f, 0f, Float.NaN},
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            for (float[] values : cases) {
                try (NDArray gradients = manager.create(values)) {
                    assertFalse(scaler.unscale(gradients), java.util.Arrays.toString(values));
                }
            }
            // large but finite values whose sum overflows float32 are not an overflow
            try (NDArray big = manager.create(new float[] {3e38f, 3e38f})) {
                assertTrue(new LossScaler(1f, 2f, 0.5f, 2000).unscale(big));
            }
        }
    }

    @Test
    void anOverflowHalvesTheScaleAndRestartsTheCleanCount() {
        LossScaler scaler = new LossScaler();
        for (int i = 0; i < 1999; i++) {
            scaler.update(false);
        }
        assertEquals(1999, scaler.growthTracker());
        assertEquals(65536f, scaler.scale());
        scaler.update(true);
        assertEquals(32768f, scaler.scale());
        assertEquals(0, scaler.growthTracker());
        assertEquals(1, scaler.skippedSteps());
        scaler.update(true);
        assertEquals(16384f, scaler.scale());
        assertEquals(2, scaler.skippedSteps());
    }

    @Test
    void twoThousandCleanStepsDoubleTheScale() {
        LossScaler scaler = new LossScaler();
        for (int i = 0; i < 1999; i++) {
            scaler.update(false);
        }
        assertEquals(65536f, scaler.scale(), "not after 1999");
        scaler.update(false);
        assertEquals(131072f, scaler.scale());
        assertEquals(0, scaler.growthTracker());
        for (int i = 0; i < 2000; i++) {
            scaler.update(false);
        }
        assertEquals(262144f, scaler.scale());
    }

    @Test
    void theScaleNeverGrowsToInfinity() {
        LossScaler scaler = new LossScaler(0x1p127f, 2f, 0.5f, 1);
        scaler.update(false);
        assertEquals(0x1p127f, scaler.scale());
        assertEquals(0, scaler.growthTracker());
    }

    @Test
    void settingsOutOfRangeAreRefusedByName() {
        assertThrows(IllegalArgumentException.class, () -> new LossScaler(0f, 2f, 0.5f, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LossScaler(1f, 2f, 1f, 1));
        assertTrue(e.getMessage().contains("backoff"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LossScaler(1f, 1f, 0.5f, 1));
        assertThrows(IllegalArgumentException.class, () -> new LossScaler(1f, 2f, 0.5f, 0));
    }

    @Test
    void precisionNamesParse() {
        assertEquals(Precision.FP16, Precision.parse(" FP16 "));
        assertEquals(Precision.FP32, Precision.parse("fp32"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16"));
        assertTrue(e.getMessage().contains("'bf16'") && e.getMessage().contains("fp32, fp16"), e.getMessage());
    }
}

package io.github.rosettadl.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

class DeviceSpecTest {

    @Test
    void parsesEveryValidForm() {
        assertEquals(DeviceSpec.Kind.AUTO, DeviceSpec.parse("auto").kind());
        assertEquals(DeviceSpec.Kind.CPU, DeviceSpec.parse(" CPU ").kind());
        assertEquals(DeviceSpec.Kind.GPU_ALL, DeviceSpec.parse("gpu").kind());
        DeviceSpec second = DeviceSpec.parse("gpu:1");
        assertEquals(DeviceSpec.Kind.GPU_INDEX, second.kind());
        assertEquals(1, second.index());
        assertEquals("gpu:1", second.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tpu", "gpu:", "gpu:-1", "gpu:x", "gpu:1:2", "cpu0"})
    void rejectsUnparseableValuesNamingTheValueAndTheValidForms(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse(value));
        assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(DeviceSpec.VALID_FORMS), e.getMessage());
    }

    @Test
    void autoPicksEveryGpuWhenThereAreSomeAndTheCpuOtherwise() {
        assertEquals(List.of(Device.cpu()), DeviceSpec.parse("auto").resolve(0));
        assertEquals(List.of(Device.gpu(0), Device.gpu(1)), DeviceSpec.parse("auto").resolve(2));
    }

    @Test
    void gpuMeansAllGpusSoDataParallelTrainingNeedsNoNewApi() {
        assertEquals(List.of(Device.gpu(0), Device.gpu(1), Device.gpu(2)), DeviceSpec.parse("gpu").resolve(3));
        assertEquals(List.of(Device.gpu(2)), DeviceSpec.parse("gpu:2").resolve(3));
        assertEquals(List.of(Device.cpu()), DeviceSpec.parse("cpu").resolve(3));
    }

    @Test
    void gpuWithoutGpuExplainsHowToGetCudaNatives() {
        DeviceUnavailableException e =
                assertThrows(DeviceUnavailableException.class, () -> DeviceSpec.parse("gpu").resolve(0));
        assertTrue(e.getMessage().startsWith("Device 'gpu' was requested, but the PyTorch engine reports no GPU"),
                e.getMessage());
        assertTrue(e.getMessage().contains("PYTORCH_LIBRARY_PATH"), e.getMessage());
        assertTrue(e.getMessage().contains("not on Maven Central"), e.getMessage());
        assertTrue(e.getMessage().contains("--device cpu"), e.getMessage());
    }

    @Test
    void aGpuIndexBeyondTheCountNamesTheGpusThatExist() {
        DeviceUnavailableException e =
                assertThrows(DeviceUnavailableException.class, () -> DeviceSpec.parse("gpu:2").resolve(2));
        assertEquals("Device 'gpu:2' was requested, but the PyTorch engine reports only 2 GPU(s), numbered 0 to 1.",
                e.getMessage());
    }
}

package io.github.rosettadl.core.training;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Loading libtorch's fused Adam kernel, and falling back where the engine lacks it. */
class FusedAdamKernelTest {

    private static final String CALL = "torch._fused_adam_(";

    /** The shipped module with its call of the op replaced, as an older libtorch would see an unknown op. */
    private static byte[] module(String call) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream resource = FusedAdamKernel.class.getResourceAsStream("fused-adam.pt");
                ZipInputStream in = new ZipInputStream(resource);
                ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                if (entry.getName().endsWith("code/__torch__.py")) {
                    String text = new String(data, StandardCharsets.UTF_8);
                    if (!text.contains(CALL)) {
                        throw new AssertionError("the module does not call " + CALL + ": " + text);
                    }
                    data = text.replace(CALL, call).getBytes(StandardCharsets.UTF_8);
                }
                ZipEntry stored = new ZipEntry(entry.getName());
                stored.setMethod(ZipEntry.STORED);
                stored.setSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                stored.setCrc(crc.getValue());
                out.putNextEntry(stored);
                out.write(data);
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static FusedAdamKernel load(byte[] module, NDManager manager) throws IOException {
        NDArray parameters = manager.zeros(new Shape(4));
        return FusedAdamKernel.load(new ByteArrayInputStream(module), manager, parameters, parameters.zerosLike(),
                parameters.zerosLike(), 0.9, 0.999, 1e-8);
    }

    @Test
    void anEngineWithoutTheOpGetsNoKernelSoAdamRunsAsTensorOps() throws IOException {
        Engine.getEngine("PyTorch");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertNotNull(load(module(CALL), manager), "libtorch 2.7.1 compiles the module as shipped");
            assertNull(load(module("torch._no_such_fused_adam_("), manager));
        }
    }
}

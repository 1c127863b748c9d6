package io.github.rosettadl.core.interop;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;

import io.github.rosettadl.core.runtime.TorchRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * TorchScript files, traced or scripted in Python ({@code torch.jit.trace(model, example).save(path)}),
 * loaded through DJL's PyTorch engine: running a PyTorch model from Java.
 *
 * <pre>{@code
 * try (Model model = TorchScriptModels.load(Path.of("simple-cnn.pt"), Device.cpu())) {
 *     NDArray logits = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false).head();
 * }
 * }</pre>
 *
 * <p>A file written by Debian's torch 1.13 loads in this project's libtorch 2.7.1: TorchScript files
 * stay readable by later versions.
 */
public final class TorchScriptModels {

    private static final String CHECKPOINT_ENTRY = "checkpoint.json";

    private TorchScriptModels() {
    }

    /**
     * Whether a file is a TorchScript archive: a zip whose entries lie in one folder with the
     * pickled module ({@code data.pkl}) and its {@code code/}, unlike a Rosetta DL checkpoint.
     *
     * @param file any file
     * @return false for a missing or unreadable file, a checkpoint, or anything not TorchScript
     */
    public static boolean isTorchScript(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            boolean module = false;
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (name.equals(CHECKPOINT_ENTRY)) {
                    return false;
                }
                module |= name.endsWith("/data.pkl") || name.contains("/code/");
            }
            return module;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Loads a TorchScript file with the PyTorch engine, offline, in inference mode.
     *
     * @param file the {@code .pt} file
     * @param device where to run it
     * @return the model, whose block runs the module's {@code forward}; the caller closes it
     * @throws WeightsFileException naming the file when it is missing or libtorch cannot read it
     */
    public static Model load(Path file, Device device) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(device, "device");
        if (!Files.isRegularFile(file)) {
            throw new WeightsFileException(file, "no such file. Trace one with pytorch/trace_twin.py"
                    + " (torch.jit.trace(model, example).save(path)).");
        }
        Model model = Model.newInstance(file.getFileName().toString(), device, TorchRuntime.ENGINE_NAME);
        try {
            model.load(file.toAbsolutePath());
            return model;
        } catch (IOException | MalformedModelException | EngineException e) {
            model.close();
            throw new WeightsFileException(file, "libtorch cannot load it as TorchScript (" + e.getMessage()
                    + "). Save a traced or scripted module with torch.jit.trace(model, example).save(path).");
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}

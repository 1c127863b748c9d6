package io.github.rosettadl.examples.cli;

import com.google.gson.JsonObject;

import io.github.rosettadl.core.io.WritableFolder;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.examples.cli.conformance.ConformanceCase;
import io.github.rosettadl.examples.cli.conformance.ConformanceWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code conformance}: the Java half of the conformance suite. Every model and preset, at its seed
 * shape and at a small one, computes logits, loss, gradients and two Adam and two SGD steps on one
 * batch with the project's own training code, and writes them as {@code .npz} beside a
 * {@code manifest.json}; {@code pytorch/conformance.py} recomputes them with the PyTorch twins.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Write every model's weights, a batch, its logits, loss, gradients and two Adam and SGD steps"
                + " as .npz, for pytorch/conformance.py to check against PyTorch.")
final class ConformanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "target/conformance",
            description = "Where the .npz files and manifest.json go (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(names = "--only", paramLabel = "TEXT", split = ",",
            description = "Only the cases whose id contains one of these, e.g. rnn or vgg-bn/small.")
    List<String> only;

    @Option(names = "--list", description = "List the cases and exit.")
    boolean list;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ConformanceCase> cases = new ArrayList<>();
        for (ConformanceCase c : ConformanceCase.all()) {
            if (only == null || only.stream().anyMatch(c.id()::contains)) {
                cases.add(c);
            }
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("--only " + String.join(",", only) + " matches no case; see"
                    + " 'conformance --list' for the ids.");
        }
        if (list) {
            cases.forEach(c -> out.println(c.id() + (c.note().isEmpty() ? "" : "  (" + c.note() + ")")));
            return 0;
        }
        WritableFolder.require(outputDir, "Choose another folder with --output-dir.");
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + outputDir + ": " + e.getMessage(), e);
        }
        // one thread by default: the sums then run in one fixed order
        TorchRuntime runtime = runtimeOptions.start(EngineThreads.of(1));
        ConformanceWriter writer = new ConformanceWriter(outputDir, runtime.device());
        List<JsonObject> entries = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            ConformanceCase c = cases.get(i);
            entries.add(writer.write(c, i));
            out.printf(Locale.ROOT, "wrote %s%n", c.id());
            out.flush();
        }
        writer.writeManifest(entries, runtime.startupLine());
        out.printf(Locale.ROOT, "%d cases in %s; check them with: /usr/bin/python3 pytorch/conformance.py %s%n",
                entries.size(), outputDir, outputDir);
        return 0;
    }
}

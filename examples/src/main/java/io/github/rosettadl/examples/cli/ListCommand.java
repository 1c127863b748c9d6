package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.training.TrainingConfig;
import io.github.rosettadl.datasets.ImageDatasetId;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code list}: the models, their seed defaults, the data sets, and which pairs train together. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the models, their seed defaults, the data sets and the valid pairs.")
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String images = Arrays.stream(ImageDatasetId.values()).map(ImageDatasetId::cliName)
                .collect(Collectors.joining(", "));
        out.println("Models (defaults are the seed's; flags override them):");
        out.printf(Locale.ROOT, "  %-19s %-9s %-6s %-6s %-8s %-10s %s%n",
                "MODEL", "OPTIMIZER", "LR", "EPOCHS", "BATCH", "DATA", "DESCRIPTION");
        for (ModelChoice model : ModelChoice.values()) {
            TrainingConfig config = model.seedConfig();
            String data = switch (model.data()) {
                case IMAGES -> "images";
                case TEXT -> "text";
                case SYNTHETIC -> "synthetic";
            };
            if (config == null) {
                out.printf(Locale.ROOT, "  %-19s %-9s %-6s %-6s %-8s %-10s %s%n", model, "sgd", "0.001", "-",
                        "1", data, model.description() + " (1000 steps; see 'linear-regression --help')");
            } else {
                out.printf(Locale.ROOT, "  %-19s %-9s %-6s %-6d %-8d %-10s %s%n", model, config.optimizer(),
                        config.learningRate(), config.epochs(), config.batchSize(), data, model.description());
            }
        }
        out.println();
        out.println("Presets: named variants beyond the seeds (train --preset NAME):");
        for (Preset preset : Preset.values()) {
            TrainingConfig config = preset.config();
            out.printf(Locale.ROOT, "  %-19s %-9s %-6s %-6d %-8d %-10s %s (aims at %.1f%%)%n", preset,
                    config.optimizer(), config.learningRate(), config.epochs(), config.batchSize(),
                    preset.dataset().cliName(), preset.description(), preset.target());
        }
        out.println();
        out.println("Data sets: " + images + " (images); the bundled text for char-rnn; synthetic points for"
                + " linear-regression.");
        out.println("Valid pairs: every image model with every image data set (shapes adapt);"
                + " char-rnn with text; linear-regression with synthetic data.");
        out.println("Example: train simple-cnn --dataset fashion-mnist --epochs 2");
        return 0;
    }
}

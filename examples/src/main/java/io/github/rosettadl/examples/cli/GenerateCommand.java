package io.github.rosettadl.examples.cli;

import io.github.rosettadl.core.predict.TextGenerator;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.examples.CharRnnExample;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code generate CHECKPOINT}: text from a char-rnn checkpoint, sampled with a temperature. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Continue a prompt with a saved char-rnn, one sampled character at a time.")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A char-rnn model.ckpt.")
    Path checkpoint;

    @Option(names = "--prompt", paramLabel = "TEXT",
            description = "The start of the text, in characters the model learned (default: \"" + CharRnnExample.PROMPT
                    + "\", or the model's first letter when its text lacks those characters).")
    String prompt;

    @Option(names = "--length", paramLabel = "N", defaultValue = "400",
            description = "Characters to add (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.5",
            description = "Below 1: safer, more repetitive; above 1: more surprising (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--seed", defaultValue = "42", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    RuntimeOptions runtimeOptions;

    @Override
    public Integer call() {
        PositiveChecks.require("--length", length);
        PositiveChecks.require("--temperature", temperature);
        TorchRuntime runtime = runtimeOptions.start();
        try (TextGenerator generator = TextGenerator.load(checkpoint, runtime.device())) {
            String start = prompt;
            if (start == null) {
                // a model of a lower-case or non-Latin text does not know "It was": start where it can
                List<String> unknown = generator.unknownCharacters(CharRnnExample.PROMPT);
                start = unknown.isEmpty() ? CharRnnExample.PROMPT : generator.firstLetter();
                if (!unknown.isEmpty()) {
                    spec.commandLine().getErr().println("The model never saw '" + String.join("', '", unknown)
                            + "' of the default prompt \"" + CharRnnExample.PROMPT + "\"; starting with \"" + start
                            + "\" instead (choose a prompt with --prompt).");
                }
            }
            spec.commandLine().getOut().println(generator.generate(start, length, temperature, seed));
        }
        return 0;
    }
}

package io.github.rosettadl.examples.cli.bench;

/**
 * What a benchmark run trains, as its report names it.
 *
 * @param model the model's command-line name, for example {@code mlp}
 * @param dataset the data set's command-line name, for example {@code mnist}
 * @param engine the engine and its version
 * @param threads the intra-op threads the engine reports
 * @param batchSize the training batch size
 */
public record BenchSetup(String model, String dataset, String engine, int threads, int batchSize) {
}

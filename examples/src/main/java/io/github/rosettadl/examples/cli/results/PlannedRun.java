package io.github.rosettadl.examples.cli.results;

import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.examples.cli.ModelChoice;
import io.github.rosettadl.examples.cli.Preset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One row the {@code results} command can produce: which model on which data, and what it is
 * measured against.
 *
 * @param id {@code model/dataset}, the name {@code --only} selects
 * @param kind how it runs
 * @param model the model, or for a variant the seed model it improves on
 * @param preset the named variant, or null for a seed configuration
 * @param dataset the image data set, or null for the text and synthetic runs
 * @param yardstick plain PyTorch's test accuracy in percent for the same configuration (mean of three
 *     seeds, on the same data and the same kind of machine), or null where none was measured
 * @param target the accuracy to reach in percent (the plain-PyTorch figure minus 0.5 for a seed), or for linear
 *     regression the largest accepted error of W and b; null for none
 */
public record PlannedRun(String id, Kind kind, ModelChoice model, Preset preset, ImageDatasetId dataset,
        Double yardstick, Double target) {

    /** How a planned run trains. */
    public enum Kind {
        /** An image model with its seed's configuration. */
        IMAGE_SEED("seed"),
        /** An image model of a named preset, beyond the seeds. */
        IMAGE_VARIANT("variant"),
        /** The character model with the Keras seed's settings. */
        CHAR_RNN("seed"),
        /** Linear regression with the TensorFlow seed's settings. */
        LINEAR_SEED("seed"),
        /** Linear regression with settings that converge. */
        LINEAR_CONVERGING("variant"),
        /** A seed's checkpoint pruned by magnitude ({@link PrunedRuns}). */
        PRUNED(PrunedRuns.KIND),
        /** An image model trained with DP-SGD ({@code train --dp}). */
        IMAGE_DP("dp");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /**
         * The row's kind in the table.
         *
         * @return {@code seed} or {@code variant}
         */
        public String label() {
            return label;
        }
    }

    /** Points below the plain-PyTorch figure that a seed may land and still count as reproducing it. */
    public static final double SEED_TOLERANCE = 0.5;

    /** The largest accepted error of the learned W and b. */
    public static final double LINEAR_TOLERANCE = 0.01;

    /** Plain PyTorch with the seed's configuration on the same data, mean of three seeds (2-core AMD EPYC). */
    private static final Map<String, Double> PYTORCH_ACCURACY = Map.of(
            "softmax-regression/mnist", 92.6,
            "mlp/mnist", 97.7,
            "simple-cnn/mnist", 98.6,
            "cifar-cnn/cifar10", 70.0,
            "rnn/mnist", 94.4,
            "simple-cnn/cifar10", 64.8,
            "mlp/cifar10", 46.1);

    /** What a reader needs to judge a row against its plain-PyTorch figure. */
    private static final Map<String, String> NOTES = Map.of(
            "mlp/cifar10", "The seed is Keras's, so its weights start Glorot-uniform; the PyTorch figure above"
                    + " uses PyTorch's default initialisation. Plain PyTorch with Glorot-uniform weights, Adam eps"
                    + " 1e-7 and everything else equal reaches 42.42%, 39.41% and 46.03% with seeds 1 to 3 (mean"
                    + " 42.6%; `ROSETTA_DATA_DIR=DIR python3 bench/yardstick_mlp_cifar.py glorot 1e-7 SEED`), and"
                    + " 45.86%, 43.78% and 46.22% with"
                    + " the default initialisation: one seed of this MLP on CIFAR-10 spreads over about 7 points."
                    + " This Java configuration with seeds 1 to 3 (`./rosetta train mlp --dataset cifar10 --seed N`)"
                    + " reaches 44.18%, 43.38% and 44.31% (mean 43.96%), above plain PyTorch's 42.6% with the same"
                    + " initialisation.");

    /**
     * Checks the fields.
     *
     * @throws NullPointerException when the id, kind or model is missing
     */
    public PlannedRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
    }

    /**
     * Every run of the full table, in table order: each image model on each image data set (tanh-cnn
     * only on MNIST and Fashion-MNIST, the data sets its authors train it on), each preset right after
     * the seed it improves on, the DP-SGD rows, then the character model and linear regression.
     *
     * @return the runs
     */
    public static List<PlannedRun> catalog() {
        List<PlannedRun> runs = new ArrayList<>();
        for (ImageDatasetId dataset : ImageDatasetId.values()) {
            for (ModelChoice model : ModelChoice.imageModels()) {
                if (model == ModelChoice.TANH_CNN && dataset == ImageDatasetId.CIFAR10) {
                    // its settings are DP-SGD's, for gradients clipped to 0.1: unclipped, CIFAR-10 diverged
                    continue;
                }
                String id = model.cliName() + "/" + dataset.cliName();
                Double yardstick = PYTORCH_ACCURACY.get(id);
                PlannedRun seed = new PlannedRun(id, Kind.IMAGE_SEED, model, null, dataset, yardstick,
                        yardstick == null ? null : yardstick - SEED_TOLERANCE);
                runs.add(seed);
                runs.addAll(PrunedRuns.after(seed));
                for (Preset preset : Preset.values()) {
                    if (preset.improves() == model && preset.dataset() == dataset) {
                        runs.add(new PlannedRun(preset.cliName() + "/" + dataset.cliName(), Kind.IMAGE_VARIANT,
                                model, preset, dataset, null, preset.target()));
                    }
                }
            }
        }
        for (DpResultRun dp : DpResultRun.values()) {
            runs.add(new PlannedRun(dp.id(), Kind.IMAGE_DP, dp.model(), null, ImageDatasetId.MNIST, null,
                    dp.target()));
        }
        runs.add(new PlannedRun("char-rnn/persuasion", Kind.CHAR_RNN, ModelChoice.CHAR_RNN, null, null, null, null));
        runs.add(new PlannedRun("linear-regression/seed", Kind.LINEAR_SEED, ModelChoice.LINEAR_REGRESSION, null,
                null, null, LINEAR_TOLERANCE));
        runs.add(new PlannedRun("linear-regression/converging", Kind.LINEAR_CONVERGING,
                ModelChoice.LINEAR_REGRESSION, null, null, null, LINEAR_TOLERANCE));
        return runs;
    }

    /**
     * The engine threads this run trains with when {@code --threads} is not given, as {@code train}
     * would pick them: the preset's, else the model's, else all cores.
     *
     * @return the default thread counts
     */
    public EngineThreads defaultThreads() {
        return preset != null ? preset.defaultThreads() : model != null ? model.defaultThreads()
                : EngineThreads.defaults();
    }

    /**
     * A note that qualifies this run's comparison, if any.
     *
     * @return the note, or null
     */
    public String note() {
        return NOTES.get(id);
    }

    /**
     * The runs that {@code --only} selects: a run is kept when any token equals its id, its model,
     * its data set or its kind ({@code seed}, {@code variant}).
     *
     * @param runs the candidates
     * @param tokens the selection; empty keeps every run
     * @return the selected runs, in their order
     * @throws IllegalArgumentException when a token selects nothing, listing the valid names
     */
    public static List<PlannedRun> select(List<PlannedRun> runs, List<String> tokens) {
        if (tokens.isEmpty()) {
            return runs;
        }
        Set<String> wanted = tokens.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String token : wanted) {
            if (runs.stream().noneMatch(r -> r.names().contains(token))) {
                throw new IllegalArgumentException("--only " + token + " matches no run. Valid: a run id (see"
                        + " 'results --list'), a model, a data set ("
                        + Arrays.stream(ImageDatasetId.values()).map(ImageDatasetId::cliName)
                                .collect(Collectors.joining(", "))
                        + ", persuasion, synthetic), seed or variant.");
            }
        }
        return runs.stream().filter(r -> r.names().stream().anyMatch(wanted::contains)).toList();
    }

    private Set<String> names() {
        String data = id.substring(id.indexOf('/') + 1);
        String dataName = dataset != null ? dataset.cliName() : kind == Kind.CHAR_RNN ? data : "synthetic";
        String name = preset != null ? preset.cliName() : model.cliName();
        return Set.of(id, name, dataName, kind.label());
    }
}

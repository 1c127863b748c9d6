import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.checkpoint.Checkpoint;
import io.github.rosettadl.core.checkpoint.CheckpointDescription;
import io.github.rosettadl.core.checkpoint.LoadedCheckpoint;
import io.github.rosettadl.core.runtime.DeviceSpec;
import io.github.rosettadl.core.runtime.EngineThreads;
import io.github.rosettadl.core.runtime.TorchRuntime;
import io.github.rosettadl.core.training.Evaluator;
import io.github.rosettadl.datasets.ImageDatasetId;
import io.github.rosettadl.datasets.image.ImageBatches;
import io.github.rosettadl.datasets.image.ImageSplit;
import io.github.rosettadl.datasets.image.Normalization;
import io.github.rosettadl.datasets.source.DataOptions;
import io.github.rosettadl.datasets.source.ImageDatasets;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs the TorchScript models quantize_static.py wrote through DJL's PyTorch engine: test accuracy on
 * the whole test set, and milliseconds per forward pass of a batch of 64 on one intra-op thread
 * (fastest of five rounds), beside the checkpoint's own float32 model (eager, as evaluate runs it).
 *
 *   java -cp "examples/target/rosetta-dl-examples-0.1.0-SNAPSHOT.jar:examples/target/lib/*" \
 *       bench/int8/Int8TorchScript.java CKPT TORCHSCRIPT_DIR DATA_DIR [REPS]
 */
public final class Int8TorchScript {

    public static void main(String[] args) throws Exception {
        Path checkpoint = Path.of(args[0]);
        Path scripts = Path.of(args[1]);
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        TorchRuntime.start(DeviceSpec.parse("cpu"), EngineThreads.of(1));
        CheckpointDescription d = Checkpoint.readDescription(checkpoint);
        String name = d.model().modelName();
        ImageSplit test = ImageDatasets.load(ImageDatasetId.fromName(d.data().dataset()),
                DataOptions.defaults().withDataDir(Path.of(args[2])).withOffline(true)).test();
        ImageBatches batches = test.batches(1000, false, 0, Normalization.DIVIDE_255);
        try (LoadedCheckpoint eager = Checkpoint.load(checkpoint, Device.cpu());
                Model floatScript = Model.newInstance("float", Device.cpu(), "PyTorch");
                Model int8Script = Model.newInstance("int8", Device.cpu(), "PyTorch")) {
            floatScript.load(scripts, name + "-float");
            int8Script.load(scripts, name + "-int8");
            String[] names = {"float32 eager (checkpoint)", "float32 TorchScript", "int8 TorchScript"};
            Model[] models = {eager.model(), floatScript, int8Script};
            double[] accuracy = new double[3];
            for (int m = 0; m < 3; m++) {
                accuracy[m] = 100 * Evaluator.evaluate(models[m], batches::epoch).accuracy();
            }
            // the three take turns, five rounds, and each keeps its fastest round: a busy machine slows
            // all of them alike then, instead of whichever ran while it was busiest
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                NDArray x = test.limit(64).batches(64, false, 0, Normalization.DIVIDE_255).epoch(manager, 1)
                        .iterator().next().getData().head();
                for (int round = 0; round < 5; round++) {
                    for (int m = 0; m < 3; m++) {
                        best[m] = Math.min(best[m], msPerBatch(models[m], manager, x, reps / 5));
                    }
                }
            }
            for (int m = 0; m < 3; m++) {
                System.out.printf(Locale.ROOT, "%s %-28s test accuracy %.2f%% on %d images, %.3f ms per batch of 64%n",
                        name, names[m], accuracy[m], test.size(), best[m]);
            }
        }
    }

    private static double msPerBatch(Model model, NDManager manager, NDArray x, int reps) {
        ParameterStore store = new ParameterStore(manager, false);
        for (int i = 0; i < 20; i++) {
            model.getBlock().forward(store, new NDList(x), false).close();
        }
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            model.getBlock().forward(store, new NDList(x), false).close();
        }
        return (System.nanoTime() - start) / 1e6 / reps;
    }
}

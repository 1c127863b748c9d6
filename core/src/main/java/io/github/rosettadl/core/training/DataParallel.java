package io.github.rosettadl.core.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import io.github.rosettadl.core.models.SeedModel;
import io.github.rosettadl.core.precision.Precision;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Data-parallel training over several devices on one machine, what DJL's {@code EasyTrain} and
 * {@code LocalParameterServer} do for its {@code Trainer}, and PyTorch's
 * {@code DistributedDataParallel} with one process per device: each batch is split into one part
 * per device, each device's copy of the model runs forward and backward on its part, the gradients
 * are summed onto the first device (each weighted by its part's share of the batch, so the sum is
 * the whole batch's mean gradient), one update is made there, and the new weights are copied to the
 * other devices.
 *
 * <p>So the update equals single-device training on the same batch, up to the order of float32
 * additions, for every model without batch norm or dropout. Batch norm normalises each part with
 * that part's own statistics, as {@code DistributedDataParallel} does without
 * {@code SyncBatchNorm}; the running averages kept are the first device's, copied to the others
 * after every update, as {@code DistributedDataParallel}'s {@code broadcast_buffers=True} copies
 * rank 0's. Dropout draws other masks than on one device.
 *
 * <p>The parts run one after another from one thread; on GPUs the kernels are queued
 * asynchronously, so the devices overlap only as far as the queueing lets them. A list may name one
 * device more than once (each entry gets its own copy of the model), which is how the splitting and
 * summing are tested on a CPU: DJL's PyTorch engine has a single CPU device.
 */
final class DataParallel implements AutoCloseable {

    private final Device main;
    private final List<Replica> replicas;

    /** One device's copy: for the first device, the session's own model. */
    private record Replica(Device device, Model model, FlatParameters parameters, List<NDArray> buffers,
            ReplicaPass pass) {
    }

    /**
     * Sets up the copies.
     *
     * @param block the session's model
     * @param parameters the session's flat parameters, on {@code devices.get(0)}
     * @param parameterStore the session's parameter store
     * @param devices the devices, the session's own first
     * @param precision the number type of the passes
     */
    DataParallel(SeedModel block, FlatParameters parameters, ParameterStore parameterStore, List<Device> devices,
            Precision precision) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("Data-parallel training needs at least one device.");
        }
        main = devices.get(0);
        List<Replica> list = new ArrayList<>();
        list.add(new Replica(main, null, parameters, buffers(block),
                new ReplicaPass(block, parameters, parameterStore, precision)));
        try {
            for (Device device : devices.subList(1, devices.size())) {
                Model model = block.spec().newModel(device);
                try {
                    SeedModel copy = (SeedModel) model.getBlock();
                    FlatParameters flat = new FlatParameters(arrays(copy.trainedParameters()), model.getNDManager());
                    list.add(new Replica(device, model, flat, buffers(copy), new ReplicaPass(copy, flat,
                            new ParameterStore(model.getNDManager(), false), precision)));
                } catch (RuntimeException e) {
                    model.close();
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            closeCopies(list);
            throw e;
        }
        replicas = List.copyOf(list);
        broadcast();
    }

    private static List<NDArray> arrays(List<Parameter> parameters) {
        return parameters.stream().map(Parameter::getArray).collect(Collectors.toList());
    }

    /** Batch norm's running averages: the parameters without a gradient. */
    private static List<NDArray> buffers(SeedModel block) {
        return block.namedParameters().values().stream().filter(p -> !p.requiresGradient())
                .map(Parameter::getArray).collect(Collectors.toList());
    }

    /**
     * How many devices share a batch.
     *
     * @return the device count
     */
    int size() {
        return replicas.size();
    }

    /**
     * The part sizes for a batch: as equal as possible, the first parts one larger where it does not
     * divide, as {@code numpy.array_split} and {@code torch.tensor_split} cut.
     *
     * @param examples the batch size
     * @param parts the device count
     * @return one size per device, some 0 when the batch is smaller than the device count
     */
    static long[] partSizes(long examples, int parts) {
        long[] sizes = new long[parts];
        for (int i = 0; i < parts; i++) {
            sizes[i] = examples / parts + (i < examples % parts ? 1 : 0);
        }
        return sizes;
    }

    /**
     * Forward and backward of a batch, split over the devices.
     *
     * @param b the batch, on the first device
     * @param lossSeed what the loss is multiplied by before backward
     * @return the batch's mean loss, its correct count and its flat mean gradient, on the first device
     */
    ReplicaPass.Result run(StepBatch b, float lossSeed) {
        long n = b.size();
        long[] sizes = partSizes(n, replicas.size());
        NDManager step = b.manager();
        NDArray gradient = null;
        NDArray correct = null;
        double loss = 0;
        long offset = 0;
        for (int i = 0; i < replicas.size(); i++) {
            if (sizes[i] == 0) {
                continue;
            }
            Replica r = replicas.get(i);
            NDIndex rows = new NDIndex().addSliceDim(offset, offset + sizes[i]);
            offset += sizes[i];
            NDArray x = b.x().get(rows).toDevice(r.device(), false);
            NDArray y = b.y().get(rows).toDevice(r.device(), false);
            ReplicaPass.Result part = r.pass().run(x, y, lossSeed, step);
            double share = (double) sizes[i] / n;
            loss += share * part.loss();
            NDArray g = part.gradient().toDevice(main, false);
            NDArray c = part.correct().toDevice(main, false);
            if (sizes[i] != n) {
                g.muli((float) share);
            }
            if (gradient == null) {
                gradient = g;
                correct = c;
            } else {
                gradient.addi(g);
                correct.addi(c);
                g.close();
            }
        }
        return new ReplicaPass.Result((float) loss, correct, gradient);
    }

    /** Copies the first device's weights and batch-norm averages to the others, after an update. */
    void broadcast() {
        Replica first = replicas.get(0);
        NDIndex all = new NDIndex(":");
        for (Replica r : replicas.subList(1, replicas.size())) {
            copy(first.parameters().values(), r.parameters().values(), r.device(), all);
            for (int j = 0; j < r.buffers().size(); j++) {
                copy(first.buffers().get(j), r.buffers().get(j), r.device(), all);
            }
        }
    }

    private static void copy(NDArray from, NDArray to, Device device, NDIndex all) {
        if (from.getDevice().equals(device)) {
            to.set(all, from);
        } else {
            try (NDArray moved = from.toDevice(device, true)) {
                to.set(all, moved);
            }
        }
    }

    /**
     * One copy's flat weights, for tests.
     *
     * @param replica the device's position in the list
     * @return the weights
     */
    NDArray values(int replica) {
        return replicas.get(replica).parameters().values();
    }

    /**
     * One copy's batch-norm running averages, for tests.
     *
     * @param replica the device's position in the list
     * @return the arrays, in parameter order
     */
    List<NDArray> buffers(int replica) {
        return replicas.get(replica).buffers();
    }

    @Override
    public void close() {
        closeCopies(replicas);
    }

    private static void closeCopies(List<Replica> list) {
        for (Replica r : list) {
            if (r.model() != null) {
                r.parameters().close();
                r.model().close();
            }
        }
    }
}

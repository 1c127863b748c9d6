#!/usr/bin/python3
"""The plain-PyTorch twin of `rosetta bench`: the same models, data, batch size, optimizer and
threads, timed the same way, printing the same fields (JSON or markdown).

Runs on Debian's python3-torch with numpy and the standard library only. Use OpenBLAS's OpenMP
build, or PyTorch falls back to reference BLAS (about 40x slower):
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch_bench.py \
        --model mlp --threads 1 --data-dir ../shared/data

A step is what the Java loop does per batch: gather the batch's uint8 images from the shuffled
order, convert to float32 and divide by 255, forward, cross-entropy, read the loss, backward,
Adam, and add the batch's correct predictions to a counter kept as a tensor.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pytorch"))
import image_twins  # noqa: E402  the models, layer for layer as the Java ones
from image_data import load_cifar10, load_mnist  # noqa: E402  the same files the Java side reads

# Adam's epsilon of each seed, as in the Java ModelChoice: Keras's for the MLP, PyTorch's for the CNN
ADAM_EPSILON = {"mlp": 1e-7, "simple-cnn": 1e-8, "cifar-cnn": 1e-7}
# each seed's batch size, as `rosetta bench` takes it
BATCH_SIZE = {"mlp": 64, "simple-cnn": 64, "cifar-cnn": 32}
DATASET = {"mlp": "mnist", "simple-cnn": "mnist", "cifar-cnn": "cifar10"}
SEED = 42


def seconds_since_start():
    """This process's age: start time from /proc/self/stat, time since boot from /proc/uptime."""
    with open("/proc/self/stat") as f:
        stat = f.read()
    start_ticks = int(stat[stat.rindex(")") + 2:].split()[19])  # field 22, starttime
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def status_megabytes(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("/proc/self/status has no " + field)


def new_model(name):
    """The model's twin from pytorch/image_twins.py, in the plain (N, C, H, W) memory layout that
    this benchmark has always timed PyTorch with (the Java models copy the batch channels last)."""
    if name == "mlp":
        return image_twins.Mlp()
    if name == "simple-cnn":
        return image_twins.SimpleCNN(channels_last=False)
    return image_twins.CifarCNN(channels_last=False)


def percentile(sorted_values, p):
    """Linear interpolation between ranks, as BenchReport.percentile on the Java side."""
    return float(np.percentile(sorted_values, p))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(ADAM_EPSILON), default="simple-cnn")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the seed's (cifar-cnn 32, else 64)")
    parser.add_argument("--warmup-steps", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--data-dir", default=os.environ.get("ROSETTA_DATA_DIR", "../shared/data"))
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    args = parser.parse_args()
    if args.batch_size is None:
        args.batch_size = BATCH_SIZE[args.model]
    if args.threads < 1 or args.batch_size < 1 or args.steps < 1 or args.warmup_steps < 0:
        parser.error("--threads, --batch-size and --steps must be positive, --warmup-steps 0 or more")

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(SEED)
    load = load_cifar10 if DATASET[args.model] == "cifar10" else load_mnist
    x, y = load(args.data_dir, "train", args.limit)
    model = new_model(args.model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=ADAM_EPSILON[args.model])
    generator = torch.Generator().manual_seed(SEED)
    steps_per_epoch = math.ceil(len(y) / args.batch_size)
    total = args.warmup_steps + args.steps if args.epochs is None else args.epochs * steps_per_epoch
    if total <= args.warmup_steps:
        parser.error(f"{total} steps leave none to time after --warmup-steps {args.warmup_steps}")
    test = load(args.data_dir, "test", args.limit) if args.epochs is not None else None

    starts, ends, sizes, epoch_rss = [], [], [], []
    first_step_seconds = None
    correct = torch.zeros((), dtype=torch.int64)
    while len(ends) < total:
        model.train()
        order = torch.randperm(len(y), generator=generator)  # reshuffled every epoch; last batch kept
        for i in range(0, len(y), args.batch_size):
            start = time.perf_counter()
            index = order[i:i + args.batch_size]
            xb, yb = x[index].float().div_(255), y[index]
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            value = loss.item()
            if not math.isfinite(value):
                raise RuntimeError(f"loss {value} at step {len(ends) + 1}")
            loss.backward()
            optimizer.step()
            correct += (logits.argmax(1) == yb).sum()
            starts.append(start)
            ends.append(time.perf_counter())
            sizes.append(len(yb))
            if first_step_seconds is None:
                first_step_seconds = seconds_since_start()
            if len(ends) == total:
                break
        if test is not None:
            evaluate(model, *test, args.batch_size)
            epoch_rss.append(status_megabytes("VmRSS"))
    correct.item()

    w = args.warmup_steps
    ms = sorted((e - s) * 1e3 for s, e in zip(starts[w:], ends[w:]))
    drift = None
    if epoch_rss:
        changes = [100 * (r - epoch_rss[0]) / epoch_rss[0] for r in epoch_rss]
        drift = max(changes, key=abs)
    report = {
        "side": "pytorch", "model": args.model, "dataset": DATASET[args.model],
        "engine": f"torch {torch.__version__}", "threads": torch.get_num_threads(),
        "batch_size": args.batch_size, "warmup_steps": w,
        "warmup_seconds": starts[w] - starts[0] if w > 0 else 0.0, "timed_steps": len(ms),
        "median_ms": percentile(ms, 50), "p10_ms": percentile(ms, 10), "p90_ms": percentile(ms, 90),
        "images_per_second": sum(sizes[w:]) / (ends[-1] - starts[w]),
        "peak_rss_mb": max(status_megabytes("VmHWM"), status_megabytes("VmRSS")),  # VmHWM lags
        "rss_mb": status_megabytes("VmRSS"),
        "first_step_seconds": first_step_seconds,
    }
    if epoch_rss:
        report["epoch_rss_mb"] = epoch_rss
        report["rss_drift_percent"] = drift
    if args.format == "json":
        print(json.dumps(report))
    else:
        print(f"{args.model} on {DATASET[args.model]}, batch {args.batch_size}, {report['engine']}, {report['threads']} thread(s)\n")
        print("| measure | value |\n|---|---|")
        for key, value in report.items():
            print(f"| {key} | {value:.3f} |" if isinstance(value, float) else f"| {key} | {value} |")


@torch.no_grad()
def evaluate(model, x, y, batch_size):
    model.eval()
    correct = 0
    for i in range(0, len(y), batch_size):
        correct += (model(x[i:i + batch_size].float().div_(255)).argmax(1) == y[i:i + batch_size]).sum().item()
    return correct / len(y)


if __name__ == "__main__":
    sys.exit(main())

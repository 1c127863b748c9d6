#!/usr/bin/python3
"""DP-SGD in plain PyTorch, the peer of `rosetta train tanh-cnn --dp`: the same model, data, sampling,
clipping, noise and optimiser, with per-example gradients from functorch (vmap of grad).

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 pytorch/dp_sgd_twin.py \
        --data-dir DIR --noise-multiplier 1.25 --max-grad-norm 0.1 --epochs 40 --threads 2

Each step draws every training image independently with probability q = batch / N (Poisson
sampling, ceil(1/q) steps an epoch, as Opacus's DPDataLoader), clips each example's gradient to L2
norm C over all parameters, adds N(0, (sigma C)^2) noise to the sum, divides by q N, and takes an
SGD step with momentum, as Opacus's PrivacyEngine does. The privacy spent depends only on q, sigma
and the step count, which this script prints; the Java accountant (`RdpAccountant`) turns them into
epsilon, and the same settings give the epsilon of the Java rows. Prints one line per epoch and, with
--json, a last line of JSON: test accuracy, seconds, steps.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F
from functorch import grad, make_functional, vmap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_data  # noqa: E402
import image_twins  # noqa: E402


def test_accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(y), batch):
            logits = model(x[start:start + batch].float().div_(255))
            correct += (logits.argmax(1) == y[start:start + batch]).sum().item()
    return correct / len(y)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("ROSETTA_DATA_DIR", "../shared/data"))
    parser.add_argument("--noise-multiplier", type=float, default=1.25)
    parser.add_argument("--max-grad-norm", type=float, default=0.1)
    parser.add_argument("--batch-size", type=int, default=512, help="the expected batch, q N")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--limit", type=int, default=0, help="the first N training and test images only")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the results")
    args = parser.parse_args()
    if min(args.batch_size, args.epochs, args.threads) < 1 or args.lr <= 0 or args.max_grad_norm <= 0 \
            or args.noise_multiplier <= 0 or not 0 <= args.momentum < 1:
        parser.error("--batch-size, --epochs, --threads, --lr, --max-grad-norm and --noise-multiplier must be"
                     " positive, --momentum in [0, 1)")
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    try:
        x, y = image_data.load("mnist", args.data_dir, "train", args.limit)
        test_x, test_y = image_data.load("mnist", args.data_dir, "test", args.limit)
    except (OSError, ValueError) as e:
        parser.exit(2, f"Error: {e}\n")
    n = len(y)
    expected = min(args.batch_size, n)
    q = expected / n
    steps_per_epoch = math.ceil(1 / q - 1e-9)

    model = image_twins.TanhCNN(channels_last=False)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    fmodel, _ = make_functional(model)

    def loss_of_one(params, image, label):
        logits = fmodel(params, image.unsqueeze(0))
        return F.cross_entropy(logits, label.unsqueeze(0))

    per_example_grads = vmap(grad(loss_of_one), in_dims=(None, 0, 0))
    sampler = torch.Generator().manual_seed(args.seed)
    noise = torch.Generator().manual_seed(args.seed + 1)
    start = time.time()
    steps = 0
    for epoch in range(1, args.epochs + 1):
        model.train()
        epoch_start = time.time()
        for _ in range(steps_per_epoch):
            chosen = (torch.rand(n, generator=sampler) < q).nonzero().squeeze(1)
            params = tuple(p.detach() for p in model.parameters())
            summed = [torch.zeros_like(p) for p in params]
            if len(chosen) > 0:
                grads = per_example_grads(params, x[chosen].float().div_(255), y[chosen])
                norms = torch.stack([g.reshape(len(chosen), -1).norm(dim=1) for g in grads]).norm(dim=0)
                factors = (args.max_grad_norm / (norms + 1e-6)).clamp(max=1.0)
                summed = [torch.einsum("i,i...", factors, g) for g in grads]
            for p, s in zip(model.parameters(), summed):
                std = args.noise_multiplier * args.max_grad_norm
                p.grad = (s + torch.normal(0.0, std, size=s.shape, generator=noise)) / expected
            optimizer.step()
            steps += 1
        accuracy = test_accuracy(model, test_x, test_y)
        print(f"epoch {epoch}/{args.epochs}  test accuracy {100 * accuracy:.2f}%  {time.time() - epoch_start:.1f} s"
              f"  ({steps} steps, q {q:.5f}, sigma {args.noise_multiplier})", flush=True)
    seconds = time.time() - start
    if args.json:
        print(json.dumps({"test_accuracy": accuracy, "seconds": seconds, "steps": steps, "q": q,
                          "noise_multiplier": args.noise_multiplier, "max_grad_norm": args.max_grad_norm,
                          "epochs": args.epochs, "threads": args.threads}))


if __name__ == "__main__":
    main()

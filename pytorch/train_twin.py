#!/usr/bin/python3
"""Trains a PyTorch twin briefly on real data and saves its state_dict as .npz for `rosetta import`.

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 pytorch/train_twin.py \
        --model simple-cnn --dataset mnist --epochs 1 --data-dir DIR --output twin.npz

Adam with the seed's learning rate and epsilon (Keras's 1e-7 for the Keras models), cross-entropy on
the logits, pixels / 255, shuffled batches; the test accuracy is printed at the end. The file holds
exactly `model.state_dict()`, written with numpy only (image_twins.save_npz).
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_data  # noqa: E402
import image_twins  # noqa: E402
from predict_npz import predict  # noqa: E402

# Adam's epsilon of each seed, as in the Java ModelChoice and Preset
KERAS_EPSILON = {"mlp", "cifar-cnn", "rnn", "mlp-dropout", "lstm-rows"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, choices=sorted(image_twins.TWINS), help="model or preset name")
    parser.add_argument("--dataset", required=True, choices=sorted(image_twins.DATASETS))
    parser.add_argument("--data-dir", default=os.environ.get("ROSETTA_DATA_DIR", "../shared/data"))
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N images only")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--output", required=True, help="the .npz to write")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing --output")
    args = parser.parse_args()
    if args.epochs < 1 or args.batch_size < 1 or args.lr <= 0 or args.threads < 1:
        parser.error("--epochs, --batch-size, --lr and --threads must be positive")
    if os.path.exists(args.output) and not args.overwrite:
        parser.error(f"{args.output} exists; pass --overwrite to replace it")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = image_twins.twin_for_dataset(args.model, args.dataset)
    eps = 1e-7 if args.model in KERAS_EPSILON else 1e-8
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, eps=eps)
    try:
        x, y = image_data.load(args.dataset, args.data_dir, "train", args.limit)
        test_x, test_y = image_data.load(args.dataset, args.data_dir, "test")
    except (OSError, ValueError) as e:
        parser.exit(2, f"Error: {e}\n")
    generator = torch.Generator().manual_seed(args.seed)
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = torch.randperm(len(y), generator=generator)
        total = 0.0
        for i in range(0, len(y), args.batch_size):
            index = order[i:i + args.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(image_twins.normalize(x[index])), y[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        print(f"epoch {epoch}: train loss {total / len(y):.4f}")
    accuracy = (predict(model, test_x) == test_y).double().mean().item()
    temp = args.output + ".tmp.npz"  # numpy.savez appends .npz to any other name
    image_twins.save_npz(model, temp)
    os.replace(temp, args.output)
    print(f"{args.model} twin on {args.dataset}: test accuracy {100 * accuracy:.2f}% on {len(test_y):,} images;"
          f" weights in {args.output}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Loads weights written by `rosetta export` into the PyTorch twin and predicts the test set.

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 pytorch/predict_npz.py \
        simple-cnn.npz --model simple-cnn --dataset mnist --data-dir DIR --output pytorch-predictions.txt

Writes one predicted class per line, in test-set order (the same file `rosetta evaluate
--predictions` writes), and prints the test accuracy. A model trained with `--normalize mean-std`
needs the same --mean and --std (`rosetta export` prints them).
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_data  # noqa: E402
import image_twins  # noqa: E402


def predict(model, images, mean=None, std=None, batch_size=256):
    """The predicted class of each uint8 (N, C, H, W) image, in the eval mode (no dropout, running statistics)."""
    model.eval()
    predictions = []
    with torch.no_grad():
        for i in range(0, len(images), batch_size):
            x = image_twins.normalize(images[i:i + batch_size], mean, std)
            predictions.append(model(x).argmax(1))
    return torch.cat(predictions)


def write_lines(path, values):
    """One value per line, written to a temporary file and renamed into place."""
    temp = path + ".tmp"
    with open(temp, "w") as f:
        f.writelines(f"{int(v)}\n" for v in values)
    os.replace(temp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", help="an .npz written by `rosetta export` or train_twin.py")
    parser.add_argument("--model", required=True, choices=sorted(image_twins.TWINS), help="model or preset name")
    parser.add_argument("--dataset", required=True, choices=sorted(image_twins.DATASETS))
    parser.add_argument("--data-dir", default=os.environ.get("ROSETTA_DATA_DIR", "../shared/data"))
    parser.add_argument("--output", required=True, help="the predictions, one class per line")
    parser.add_argument("--limit", type=int, default=0, help="predict only the first N test images")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--mean", type=float, nargs="+", help="per-channel mean of --normalize mean-std")
    parser.add_argument("--std", type=float, nargs="+", help="per-channel std of --normalize mean-std")
    args = parser.parse_args()
    if (args.mean is None) != (args.std is None):
        parser.error("--mean and --std go together")
    model = image_twins.twin_for_dataset(args.model, args.dataset)
    try:
        image_twins.load_npz(model, args.weights)
    except ValueError as e:
        parser.exit(2, f"Error: {e}\n")
    try:
        x, y = image_data.load(args.dataset, args.data_dir, "test", args.limit)
    except (OSError, ValueError) as e:
        parser.exit(2, f"Error: {e}\n")
    predicted = predict(model, x, args.mean, args.std, args.batch_size)
    write_lines(args.output, predicted.tolist())
    accuracy = (predicted == y).double().mean().item()
    print(f"{args.model} twin on {args.dataset}: test accuracy {100 * accuracy:.2f}% on {len(y):,} images;"
          f" predictions in {args.output}")


if __name__ == "__main__":
    main()

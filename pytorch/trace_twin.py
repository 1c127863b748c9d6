#!/usr/bin/python3
"""Traces a PyTorch twin with its weights into a TorchScript file that `rosetta predict` runs.

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 pytorch/trace_twin.py \
        twin.npz --model simple-cnn --dataset mnist --output simple-cnn.pt

The twin is traced in eval mode (no dropout, batch norm's running statistics) on a batch of the data
set's shape, float32 (N, C, H, W), pixels / 255: the input `rosetta predict` gives it.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_twins  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", help="an .npz written by `rosetta export` or train_twin.py")
    parser.add_argument("--model", required=True, choices=sorted(image_twins.TWINS), help="model or preset name")
    parser.add_argument("--dataset", required=True, choices=sorted(image_twins.DATASETS))
    parser.add_argument("--output", required=True, help="the TorchScript file to write")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing --output")
    args = parser.parse_args()
    if os.path.exists(args.output) and not args.overwrite:
        parser.error(f"{args.output} exists; pass --overwrite to replace it")
    model = image_twins.twin_for_dataset(args.model, args.dataset)
    try:
        image_twins.load_npz(model, args.weights)
    except ValueError as e:
        parser.exit(2, f"Error: {e}\n")
    model.eval()
    channels, height, width, _ = image_twins.DATASETS[args.dataset]
    example = torch.rand(2, channels, height, width)
    with torch.no_grad():
        traced = torch.jit.trace(model, example)
        if not torch.allclose(traced(example), model(example)):
            raise AssertionError("the traced model disagrees with the twin")
    temp = args.output + ".tmp"
    traced.save(temp)
    os.replace(temp, args.output)
    print(f"{args.model} twin traced for {args.dataset} (torch {torch.__version__}): {args.output}")


if __name__ == "__main__":
    main()

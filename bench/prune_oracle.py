"""Checks `rosetta prune` against torch.nn.utils.prune on the same weights.

Loads the dense checkpoint's weights into plain tensors, prunes them with
prune.global_unstructured (L1, the given amount) or prune.l1_unstructured per layer, and compares
the kept/removed pattern with the nonzero pattern of the pruned checkpoint written by
`./rosetta prune DENSE --sparsity AMOUNT [--scope layer]` (no fine-tuning):

    python3 bench/prune_oracle.py DENSE.ckpt PRUNED.ckpt 0.9 [global|layer]

Prints the weights each side removes per tensor and how many positions differ; exits 1 if any do.
"""
import json
import sys
import zipfile

import numpy as np
import torch
import torch.nn.utils.prune as prune


def tensors(path):
    with zipfile.ZipFile(path) as z:
        description = json.loads(z.read("checkpoint.json"))
        names = z.namelist()
        if "parameters.bin" in names:
            flat = np.frombuffer(z.read("parameters.bin"), dtype="<f4")
        else:
            flat = decode(z.read("parameters.sparse"))
    out, at = {}, 0
    for t in description["parameters"]:
        n = int(np.prod(t["shape"]))
        out[t["name"]] = flat[at:at + n].reshape(t["shape"])
        at += n
    return out


def decode(sparse):
    """The layout of SparseParameters: n, k (int32 LE), ceil(n/8) mask bytes (LSB first), k float32 values."""
    n, k = np.frombuffer(sparse[:8], dtype="<i4")
    mask = np.unpackbits(np.frombuffer(sparse[8:8 + (n + 7) // 8], dtype=np.uint8), bitorder="little")[:n]
    values = np.frombuffer(sparse[8 + (n + 7) // 8:], dtype="<f4")
    assert mask.sum() == k == len(values)
    flat = np.zeros(n, dtype=np.float32)
    flat[mask.astype(bool)] = values
    return flat


def main():
    dense_path, pruned_path, amount = sys.argv[1], sys.argv[2], float(sys.argv[3])
    scope = sys.argv[4] if len(sys.argv) > 4 else "global"
    dense, pruned = tensors(dense_path), tensors(pruned_path)
    modules = {}
    for name, w in dense.items():
        if name.endswith("weight") and w.ndim >= 2:
            m = torch.nn.Module()
            m.weight = torch.nn.Parameter(torch.from_numpy(w.copy()))
            modules[name] = m
    if scope == "global":
        prune.global_unstructured([(m, "weight") for m in modules.values()],
                                  pruning_method=prune.L1Unstructured, amount=amount)
    else:
        for m in modules.values():
            prune.l1_unstructured(m, name="weight", amount=amount)
    differing = 0
    for name, m in modules.items():
        torch_kept = m.weight_mask.numpy().astype(bool)
        java_kept = pruned[name] != 0
        diff = int((torch_kept != java_kept).sum())
        differing += diff
        print(f"{name:16s} {torch_kept.size:9,d} weights: torch removes {int((~torch_kept).sum()):9,d},"
              f" rosetta {int((~java_kept).sum()):9,d}, positions that differ {diff}")
    print("same mask" if differing == 0 else f"{differing} positions differ")
    sys.exit(0 if differing == 0 else 1)


if __name__ == "__main__":
    main()

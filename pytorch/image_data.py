"""The test and training images of MNIST, Fashion-MNIST and CIFAR-10 from the same files the Java
side reads, as uint8 (N, C, H, W) tensors and int64 labels: numpy and the standard library only.

DATA_DIR holds mnist/, fashion-mnist/ and cifar-10-batches-bin/ (the layouts of datasets/README.md);
Fashion-MNIST is also read from Debian's /usr/share/datasets/fashion-mnist/.
"""
import gzip
import os
import struct

import numpy as np
import torch

SYSTEM_DATASETS = "/usr/share/datasets"


def read_idx(path):
    """A gzipped (or plain) IDX file as a numpy array (uint8 images or labels)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path} is not a uint8 IDX file")
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def _folder(data_dir, name):
    folder = os.path.join(data_dir, name)
    system = os.path.join(SYSTEM_DATASETS, name)
    if not os.path.isdir(folder) and os.path.isdir(system):
        return system
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"no {folder}: --data-dir must hold {name}/")
    return folder


def load_idx(data_dir, name, split, limit=0):
    """MNIST or Fashion-MNIST ('mnist' or 'fashion-mnist'): uint8 (N, 1, 28, 28) and int64 (N)."""
    folder = _folder(data_dir, name)
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"))
    if limit > 0:
        images, labels = images[:limit], labels[:limit]
    x = torch.from_numpy(images.copy()).unsqueeze(1)  # uint8 (N, 1, 28, 28), as the Java side keeps it
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def load_mnist(data_dir, split, limit=0):
    return load_idx(data_dir, "mnist", split, limit)


def load_cifar10(data_dir, split, limit=0):
    """CIFAR-10's binary version: uint8 (N, 3, 32, 32) and int64 (N)."""
    folder = _folder(data_dir, "cifar-10-batches-bin")
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] if split == "train" else ["test_batch.bin"]
    raw = np.concatenate([np.fromfile(os.path.join(folder, name), dtype=np.uint8).reshape(-1, 3073)
                          for name in names])
    if limit > 0:
        raw = raw[:limit]
    x = torch.from_numpy(raw[:, 1:].reshape(-1, 3, 32, 32).copy())  # uint8 NCHW, as the Java side keeps it
    y = torch.from_numpy(raw[:, 0].astype(np.int64))
    return x, y


def load(dataset, data_dir, split, limit=0):
    """One split of 'mnist', 'fashion-mnist' or 'cifar10'."""
    if dataset == "cifar10":
        return load_cifar10(data_dir, split, limit)
    if dataset in ("mnist", "fashion-mnist"):
        return load_idx(data_dir, dataset, split, limit)
    raise ValueError(f"Unknown data set '{dataset}'. Valid: mnist, fashion-mnist, cifar10.")

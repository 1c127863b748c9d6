"""Static int8 quantization (weights and activations) of a Rosetta DL checkpoint with torch.ao.quantization.

Reads a float32 checkpoint written by `rosetta train --save-model` (checkpoint.json and parameters.bin in a
zip), rebuilds the same network in PyTorch with the same layer names, calibrates the activation observers
on training images, converts it to int8 modules (quantized::linear, quantized::conv2d), scores both on the
test set, and saves both as TorchScript for Int8TorchScript.java to run through DJL:

    python3 bench/int8/quantize_static.py CKPT OUT_DIR --data-dir DIR [--calibration 2000]

Only the three seeds whose layers map one to one: mlp, simple-cnn, cifar-cnn.
"""
import argparse, gzip, json, os, pickle, sys, time, zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.ao.quantization as tq


class Mlp(nn.Module):  # Keras: Flatten, Dense(128, relu), Dense(10)
    def __init__(self, a):
        super().__init__()
        c, h, w = a["input"]["channels"], a["input"]["height"], a["input"]["width"]
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.dense = nn.Linear(c * h * w, a["hidden"]); self.relu = nn.ReLU()
        self.dense_1 = nn.Linear(a["hidden"], a["classes"])
        self.fuse = [["dense", "relu"]]

    def forward(self, x):
        return self.dequant(self.dense_1(self.relu(self.dense(self.quant(x.flatten(1))))))


class SimpleCNN(nn.Module):  # the PyTorch seed: conv1, relu, max-pool, fc1, relu, fc2
    def __init__(self, a):
        super().__init__()
        c, h, w = a["input"]["channels"], a["input"]["height"], a["input"]["width"]
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.conv1 = nn.Conv2d(c, 32, 3, padding=1); self.relu1 = nn.ReLU(); self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(32 * (h // 2) * (w // 2), 128); self.relu2 = nn.ReLU()
        self.fc2 = nn.Linear(128, a["classes"])
        self.fuse = [["conv1", "relu1"], ["fc1", "relu2"]]

    def forward(self, x):
        x = self.pool(self.relu1(self.conv1(self.quant(x))))
        return self.dequant(self.fc2(self.relu2(self.fc1(x.flatten(1)))))


class CifarCNN(nn.Module):  # TensorFlow tutorial: 3 x (conv 3x3 valid, relu), pools after the first two
    def __init__(self, a):
        super().__init__()
        c, h, w = a["input"]["channels"], a["input"]["height"], a["input"]["width"]
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.conv2d = nn.Conv2d(c, 32, 3); self.r1 = nn.ReLU()
        self.conv2d_1 = nn.Conv2d(32, 64, 3); self.r2 = nn.ReLU()
        self.conv2d_2 = nn.Conv2d(64, 64, 3); self.r3 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        side = lambda s: ((s - 2) // 2 - 2) // 2 - 2
        self.dense = nn.Linear(64 * side(h) * side(w), 64); self.r4 = nn.ReLU()
        self.dense_1 = nn.Linear(64, a["classes"])
        self.fuse = [["conv2d", "r1"], ["conv2d_1", "r2"], ["conv2d_2", "r3"], ["dense", "r4"]]

    def forward(self, x):
        x = self.pool(self.r1(self.conv2d(self.quant(x))))
        x = self.pool(self.r2(self.conv2d_1(x)))
        x = self.r3(self.conv2d_2(x))
        return self.dequant(self.dense_1(self.r4(self.dense(x.flatten(1)))))


MODELS = {"mlp": Mlp, "simple-cnn": SimpleCNN, "cifar-cnn": CifarCNN}


def load_checkpoint(path):
    with zipfile.ZipFile(path) as z:
        d = json.loads(z.read("checkpoint.json"))
        flat = np.frombuffer(z.read("parameters.bin"), dtype="<f4")
    name = d["model"]["name"]
    if name not in MODELS:
        sys.exit(f"{path}: model {name} is not one of {sorted(MODELS)}")
    model = MODELS[name](d["model"]["arguments"])
    state, at = {}, 0
    for t in d["parameters"]:
        n = int(np.prod(t["shape"]))
        state[t["name"]] = torch.from_numpy(flat[at:at + n].copy()).reshape(t["shape"])
        at += n
    model.load_state_dict(state)
    return d, model.eval()


def images(data_dir, dataset, split):
    if dataset in ("mnist", "fashion-mnist"):
        prefix = "train" if split == "train" else "t10k"
        folder = os.path.join(data_dir, dataset)
        with gzip.open(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz")) as f:
            x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
        with gzip.open(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz")) as f:
            y = np.frombuffer(f.read(), np.uint8, offset=8)
    else:
        folder = os.path.join(data_dir, "cifar-10-batches-bin")
        files = [f"data_batch_{i}.bin" for i in range(1, 6)] if split == "train" else ["test_batch.bin"]
        raw = np.concatenate([np.fromfile(os.path.join(folder, f), np.uint8).reshape(-1, 3073) for f in files])
        x, y = raw[:, 1:].reshape(-1, 3, 32, 32), raw[:, 0]
    return x, y.astype(np.int64)


def normalise(d, x):
    n = d["data"]["normalization"]
    mean = np.array(n["mean"], np.float32).reshape(1, -1, 1, 1)
    std = np.array(n["std"], np.float32).reshape(1, -1, 1, 1)
    return torch.from_numpy((x.astype(np.float32) / 255 - mean) / std)


def accuracy(model, x, y):
    with torch.no_grad():
        right = sum((model(x[i:i + 1000]).argmax(1) == torch.from_numpy(y[i:i + 1000])).sum().item()
                    for i in range(0, len(y), 1000))
    return 100.0 * right / len(y)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("checkpoint"); p.add_argument("out_dir")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--calibration", type=int, default=2000)
    p.add_argument("--engine", default="onednn", help="the backend that runs the int8 model here")
    a = p.parse_args()
    torch.manual_seed(0)
    torch.backends.quantized.engine = a.engine
    d, model = load_checkpoint(a.checkpoint)
    dataset = d["data"]["dataset"]
    tx, ty = images(a.data_dir, dataset, "test")
    cx, _ = images(a.data_dir, dataset, "train")
    test, calibration = normalise(d, tx), normalise(d, cx[:a.calibration])
    float_acc = accuracy(model, test, ty)

    # the recipe of the PyTorch tutorial: fuse conv/linear with relu, observe, calibrate, convert
    q = MODELS[d["model"]["name"]](d["model"]["arguments"]).eval()
    q.load_state_dict(model.state_dict())
    q = tq.fuse_modules(q, q.fuse)
    q.qconfig = tq.get_default_qconfig("fbgemm")   # per-channel int8 weights, uint8 activations
    tq.prepare(q, inplace=True)
    with torch.no_grad():
        for i in range(0, len(calibration), 500):
            q(calibration[i:i + 500])
    tq.convert(q, inplace=True)
    int8_acc = accuracy(q, test, ty)

    os.makedirs(a.out_dir, exist_ok=True)
    example = test[:64]
    name = d["model"]["name"]
    for kind, m in (("float", model), ("int8", q)):
        torch.jit.trace(m, example).save(os.path.join(a.out_dir, f"{name}-{kind}.pt"))
    sizes = {k: os.path.getsize(os.path.join(a.out_dir, f"{name}-{k}.pt")) for k in ("float", "int8")}
    print(json.dumps({"model": name, "dataset": dataset, "calibration_images": a.calibration,
                      "engine": a.engine, "float32_accuracy": round(float_acc, 2), "int8_accuracy": round(int8_acc, 2),
                      "torchscript_bytes": sizes}))


if __name__ == "__main__":
    main()

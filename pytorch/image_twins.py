"""The PyTorch twins of Rosetta DL's image models: the same architectures, layer by layer, with the
same layer names as the Java models, so that a Java checkpoint exported with `rosetta export` loads
into them with `load_state_dict` and a twin's `state_dict` imports into Java with `rosetta import`.

Plain PyTorch (1.13 or later) and numpy only:

    import image_twins
    model = image_twins.twin("simple-cnn", channels=1, height=28, width=28, classes=10)
    image_twins.load_npz(model, "simple-cnn.npz")      # weights written by `rosetta export`
    model.eval()
    logits = model(images)                             # (N, C, H, W) float32, pixels / 255

Names: Java parameter -> state_dict key
---------------------------------------
Java's parameter names are `SeedModel.namedParameters()`: the layer name, a dot, DJL's parameter
name. The layer names are the same on both sides; only some parameter names differ:

    Linear, Conv2d     LAYER.weight              -> LAYER.weight         same shape and layout
                       LAYER.bias                -> LAYER.bias
    BatchNorm          LAYER.gamma               -> LAYER.weight
                       LAYER.beta                -> LAYER.bias
                       LAYER.runningMean         -> LAYER.running_mean
                       LAYER.runningVar          -> LAYER.running_var
                       (none)                    -> LAYER.num_batches_tracked  (int64 count; Java has no
                                                    such counter: exported as 0, ignored on import; it only
                                                    matters for BatchNorm2d(momentum=None), not used here)
    RNN, LSTM, GRU     LAYER.l_0_i2h_WEIGHT      -> LAYER.weight_ih_l0
                       LAYER.l_0_h2h_WEIGHT      -> LAYER.weight_hh_l0
                       LAYER.l_0_i2h_BIAS        -> LAYER.bias_ih_l0
                       LAYER.l_0_h2h_BIAS        -> LAYER.bias_hh_l0

Layouts: every tensor has the same shape and the same element order on both sides, because DJL's
PyTorch engine stores weights as PyTorch does:
- dense weights are (out_features, in_features), PyTorch's layout. Keras's Dense kernel is the
  transpose, (in, out): take `weight.T` to carry one into Keras.
- convolution weights are (out_channels, in_channels, kh, kw). Keras's Conv2D kernel is
  (kh, kw, in, out): `weight.permute(2, 3, 1, 0)`.
- the flatten before the first dense layer is in (C, H, W) order, PyTorch's `torch.flatten(x, 1)`,
  even though the Java models copy the batch channels last in memory first
  (`x.contiguous(memory_format=torch.channels_last)`): that copy changes strides only, never the
  logical order, so it changes no number. The twins make the same copy (`channels_last=True`, the
  default) so that the same kernels run; `channels_last=False` gives the same results. Keras
  flattens (H, W, C), so carrying CifarCNN's `dense` kernel into Keras also needs its input axis
  reordered.
- recurrent gates are in PyTorch's order (LSTM: input, forget, cell, output; GRU: reset, update,
  new), because DJL's engine calls PyTorch's own kernels.

Input: (N, C, H, W) float32 pixels divided by 255, then `(x - mean[c]) / std[c]` when the Java
model was trained with `--normalize mean-std` (see `normalize`). The row classifiers read the image
row by row: each of the H time steps sees the C * W values of one row.

With the same weights and the same batch, every twin's logits equal the Java model's to float32
noise (largest difference under 1e-6 for all of TWINS, on MNIST- and CIFAR-shaped batches).
"""
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# rnn and lstm-rows: one twin of the row classifiers, with Keras's single-bias SimpleRNN and LSTM
from sequence_twins import RECURRENT_NAMES, RnnClassifier  # noqa: E402

# Java BatchNorm parameter name -> PyTorch (the recurrent names are in sequence_twins)
_BATCH_NORM_NAMES = {"gamma": "weight", "beta": "bias", "runningMean": "running_mean",
                     "runningVar": "running_var"}


def state_dict_name(java_name):
    """The state_dict key of a Java parameter name, e.g. 'bn1.runningMean' -> 'bn1.running_mean'."""
    layer, _, parameter = java_name.rpartition(".")
    parameter = _BATCH_NORM_NAMES.get(parameter, RECURRENT_NAMES.get(parameter, parameter))
    return layer + "." + parameter


def keras_init(*layers):
    """Keras's defaults for Dense and Conv2D: Glorot-uniform kernels, zero biases."""
    for layer in layers:
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)


def _channels_last(x, enabled):
    return x.contiguous(memory_format=torch.channels_last) if enabled else x


class SoftmaxRegression(nn.Module):
    """softmax-regression: one linear layer on the flattened pixels. Java: core.models.SoftmaxRegression."""

    def __init__(self, channels=1, height=28, width=28, classes=10):
        super().__init__()
        self.linear = nn.Linear(channels * height * width, classes)

    def forward(self, x):
        return self.linear(x.view(x.size(0), -1))


class Mlp(nn.Module):
    """mlp: the Keras seed, Flatten, Dense(128, relu), Dense(10). Java: core.models.Mlp.

    Keras's automatic layer names dense and dense_1; logits out (the softmax is in the loss)."""

    def __init__(self, channels=1, height=28, width=28, classes=10, hidden=128, init="keras"):
        super().__init__()
        self.dense = nn.Linear(channels * height * width, hidden)
        self.dense_1 = nn.Linear(hidden, classes)
        if init == "keras":
            keras_init(self.dense, self.dense_1)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = F.relu(self.dense(x))
        return self.dense_1(x)


class DropoutMlp(nn.Module):
    """mlp-dropout: Keras's mnist_mlp.py, Dense(512), Dropout(0.2) twice, Dense(10). Java: core.models.DropoutMlp."""

    def __init__(self, channels=1, height=28, width=28, classes=10, hidden=512, dropout_rate=0.2, init="keras"):
        super().__init__()
        self.dense = nn.Linear(channels * height * width, hidden)
        self.dropout = nn.Dropout(dropout_rate)
        self.dense_1 = nn.Linear(hidden, hidden)
        self.dropout_1 = nn.Dropout(dropout_rate)
        self.dense_2 = nn.Linear(hidden, classes)
        if init == "keras":
            keras_init(self.dense, self.dense_1, self.dense_2)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = self.dropout(F.relu(self.dense(x)))
        x = self.dropout_1(F.relu(self.dense_1(x)))
        return self.dense_2(x)


class SimpleCNN(nn.Module):
    """simple-cnn: the PyTorch seed, with fc1 fixed to 32 * (H/2) * (W/2) inputs. Java: core.models.SimpleCNN."""

    def __init__(self, channels=1, height=28, width=28, classes=10, init="pytorch", channels_last=True):
        super().__init__()
        self.flat_features = 32 * (height // 2) * (width // 2)
        self.channels_last = channels_last
        self.conv1 = nn.Conv2d(channels, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(self.flat_features, 128)
        self.fc2 = nn.Linear(128, classes)
        if init == "keras":
            keras_init(self.conv1, self.fc1, self.fc2)

    def forward(self, x):
        x = _channels_last(x, self.channels_last)
        x = self.pool(F.relu(self.conv1(x)))
        x = x.reshape(-1, self.flat_features)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


class CifarCNN(nn.Module):
    """cifar-cnn: the TensorFlow CIFAR-10 tutorial's CNN, three valid 3x3 convolutions, Dense(64), Dense(10).

    Java: core.models.CifarCNN. Keras's automatic names conv2d, conv2d_1, conv2d_2, dense, dense_1."""

    def __init__(self, channels=3, height=32, width=32, classes=10, init="keras", channels_last=True):
        super().__init__()
        side = lambda s: ((s - 2) // 2 - 2) // 2 - 2  # conv, pool, conv, pool, conv
        self.flat_features = 64 * side(height) * side(width)
        self.channels_last = channels_last
        self.conv2d = nn.Conv2d(channels, 32, 3)
        self.conv2d_1 = nn.Conv2d(32, 64, 3)
        self.conv2d_2 = nn.Conv2d(64, 64, 3)
        self.dense = nn.Linear(self.flat_features, 64)
        self.dense_1 = nn.Linear(64, classes)
        if init == "keras":
            keras_init(self.conv2d, self.conv2d_1, self.conv2d_2, self.dense, self.dense_1)

    def forward(self, x):
        x = _channels_last(x, self.channels_last)
        x = F.max_pool2d(F.relu(self.conv2d(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2d_1(x)), 2)
        x = F.relu(self.conv2d_2(x))
        x = x.reshape(-1, self.flat_features)  # Flatten, in (C, H, W) order
        x = F.relu(self.dense(x))
        return self.dense_1(x)


class TanhCNN(nn.Module):
    """tanh-cnn: Tramer and Boneh's (2021) DP-SGD baseline, two strided convolutions each followed by tanh
    and a 2x2 max-pool of stride 1, then Linear(32), tanh, Linear(classes). Java: core.models.TanhCNN.

    Named conv1, conv2, fc1, fc2 as Opacus's SampleConvNet (the same network with ReLU)."""

    def __init__(self, channels=1, height=28, width=28, classes=10, init="pytorch", channels_last=True):
        super().__init__()
        side = lambda s: (((s + 2 * 2 - 8) // 2 + 1) - 1 - 4) // 2 + 1 - 1  # conv1, pool, conv2, pool
        self.flat_features = 32 * side(height) * side(width)
        self.channels_last = channels_last
        self.conv1 = nn.Conv2d(channels, 16, 8, stride=2, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 4, stride=2)
        self.fc1 = nn.Linear(self.flat_features, 32)
        self.fc2 = nn.Linear(32, classes)
        if init == "keras":
            keras_init(self.conv1, self.conv2, self.fc1, self.fc2)

    def forward(self, x):
        x = _channels_last(x, self.channels_last)
        x = F.max_pool2d(torch.tanh(self.conv1(x)), 2, 1)
        x = F.max_pool2d(torch.tanh(self.conv2(x)), 2, 1)
        x = x.reshape(-1, self.flat_features)
        x = torch.tanh(self.fc1(x))
        return self.fc2(x)


class BatchNormCNN(nn.Module):
    """bn-cnn (presets cnn-bn, cnn-bn-flip, vgg-bn): stages of 3x3 convolutions without bias, each
    followed by batch norm and ReLU, 2x2 max-pooling after each stage, then dropout, Dense(hidden),
    dropout, Dense(classes). Java: core.models.BatchNormCNN.

    The layers are named conv1, bn1, conv2, bn2, ... in order, then dropout, fc1 and fc2, as in Java
    (one dropout module used twice)."""

    def __init__(self, channels=1, height=28, width=28, classes=10, widths=(32, 64), convs_per_stage=1,
                 hidden=128, dropout_rate=0.3, init="pytorch", channels_last=True):
        super().__init__()
        self.channels_last = channels_last
        self.layers_per_stage = []
        layer, c = 1, channels
        for stage_width in widths:
            names = []
            for _ in range(convs_per_stage):
                self.add_module(f"conv{layer}", nn.Conv2d(c, stage_width, 3, padding=1, bias=False))
                self.add_module(f"bn{layer}", nn.BatchNorm2d(stage_width))  # momentum 0.1, eps 1e-5 as in Java
                names.append(layer)
                layer, c = layer + 1, stage_width
            self.layers_per_stage.append(names)
        self.flat_features = c * (height >> len(widths)) * (width >> len(widths))
        self.dropout = nn.Dropout(dropout_rate)
        self.fc1 = nn.Linear(self.flat_features, hidden)
        self.fc2 = nn.Linear(hidden, classes)
        if init == "keras":
            for name in range(1, layer):
                nn.init.xavier_uniform_(getattr(self, f"conv{name}").weight)
            keras_init(self.fc1, self.fc2)

    def forward(self, x):
        x = _channels_last(x, self.channels_last)
        for names in self.layers_per_stage:
            for layer in names:
                x = F.relu(getattr(self, f"bn{layer}")(getattr(self, f"conv{layer}")(x)))
            x = F.max_pool2d(x, 2)
        x = x.reshape(x.size(0), -1)  # flatten, in (C, H, W) order
        x = F.relu(self.fc1(self.dropout(x)))
        return self.fc2(self.dropout(x))


# Every image model and preset of `rosetta list`, as (twin class, arguments beyond the image shape and
# class count). The arguments are the Java Spec's: core.models.*.Spec and examples.cli.Preset.
TWINS = {
    "softmax-regression": (SoftmaxRegression, {}),
    "mlp": (Mlp, {}),
    "simple-cnn": (SimpleCNN, {}),
    "cifar-cnn": (CifarCNN, {}),
    "tanh-cnn": (TanhCNN, {}),
    "rnn": (RnnClassifier, {}),
    "mlp-dropout": (DropoutMlp, {}),
    "cnn-bn": (BatchNormCNN, dict(widths=(32, 64), convs_per_stage=1, hidden=128, dropout_rate=0.25)),
    "cnn-bn-flip": (BatchNormCNN, dict(widths=(32, 64), convs_per_stage=1, hidden=128, dropout_rate=0.25)),
    "vgg-bn": (BatchNormCNN, dict(widths=(32, 64, 128), convs_per_stage=2, hidden=128, dropout_rate=0.3)),
    "lstm-rows": (RnnClassifier, dict(cell="LSTM", hidden=128)),
}

# the image shape and class count of each data set, as the Java side reads them
DATASETS = {"mnist": (1, 28, 28, 10), "fashion-mnist": (1, 28, 28, 10), "cifar10": (3, 32, 32, 10)}


def twin(name, channels, height, width, classes, **overrides):
    """The twin of a model or preset name of `rosetta list`, for an image shape and class count."""
    if name not in TWINS:
        raise ValueError(f"No twin for '{name}'. Valid: {', '.join(TWINS)}.")
    cls, arguments = TWINS[name]
    return cls(channels=channels, height=height, width=width, classes=classes, **{**arguments, **overrides})


def twin_for_dataset(name, dataset, **overrides):
    """The twin of a model or preset name for a data set: mnist, fashion-mnist or cifar10."""
    if dataset not in DATASETS:
        raise ValueError(f"Unknown data set '{dataset}'. Valid: {', '.join(DATASETS)}.")
    channels, height, width, classes = DATASETS[dataset]
    return twin(name, channels, height, width, classes, **overrides)


def load_npz(model, path):
    """Loads weights written by `rosetta export` (or `save_npz`) into a twin, strictly: every
    state_dict tensor must be in the file with its shape, and nothing else may be. Batch norm's
    num_batches_tracked may be missing (Java keeps no such counter); it is then set to 0."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile) as e:
        raise ValueError(f"{path}: not a readable .npz file ({e})") from e
    expected = model.state_dict()
    missing = [k for k in expected if k not in arrays and not k.endswith("num_batches_tracked")]
    extra = [k for k in arrays if k not in expected]
    if missing or extra:
        raise ValueError(f"{path} does not fit {type(model).__name__}: missing {missing}, unexpected {extra}")
    state = {}
    for name, tensor in expected.items():
        if name not in arrays:
            state[name] = torch.zeros_like(tensor)
            continue
        if tuple(arrays[name].shape) != tuple(tensor.shape):
            raise ValueError(f"{path}: tensor {name} has shape {arrays[name].shape}, "
                             f"{type(model).__name__} expects {tuple(tensor.shape)}")
        state[name] = torch.from_numpy(arrays[name]).to(tensor.dtype)
    model.load_state_dict(state)
    return model


def save_npz(model, path):
    """Writes a twin's state_dict as .npz with numpy only, for `rosetta import`."""
    np.savez(path, **{name: tensor.detach().cpu().numpy() for name, tensor in model.state_dict().items()})


def normalize(pixels, mean=None, std=None):
    """uint8 (N, C, H, W) pixels as the Java models take them: / 255, then (x - mean[c]) / std[c]."""
    x = torch.as_tensor(pixels).float().div_(255)
    if mean is not None:
        mean = torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1)
        std = torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1)
        x = (x - mean) / std
    return x

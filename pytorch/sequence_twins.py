"""The PyTorch twins of Rosetta DL's sequence models and its linear regression: the same
architectures as the Java models, layer by layer, with the same layer names, so that the Java
weights load into them by name.

Plain PyTorch (1.13 or later) and numpy only:

    import sequence_twins
    model = sequence_twins.twin("rnn", {"input": {"channels": 1, "height": 28, "width": 28},
                                        "classes": 10, "cell": "SIMPLE_RNN", "hidden": 64, "init": "KERAS"})
    sequence_twins.load_java(model, {"simple_rnn.l_0_i2h_WEIGHT": w, ...})   # Java names, numpy arrays
    logits = model(images)                                   # (N, C, H, W) float32, pixels / 255

Java's models (core.models):
- `rnn` (RnnClassifier, and the preset lstm-rows): a SimpleRNN, LSTM or GRU over the image rows,
  Dense(classes) on the last output. The layer is named simple_rnn, lstm or gru, as in Keras.
- `char-rnn` (CharRnn): Embedding, SimpleRNN, Dense(vocabulary) on the last output.
- `linear-regression` (LinearRegression): the TensorFlow 1 seed's two scalars, W * x + b.

One bias or two
---------------
Keras's SimpleRNN and LSTM have one bias per gate. PyTorch's nn.RNN and nn.LSTM, and DJL's cells,
have two, bias_ih and bias_hh, which the cell adds up and which always receive the same gradient:
trained both, their sum moves twice as far per step as Keras's one bias. The Java models with
Keras's initialisation keep the second bias at zero and out of the optimiser; their twins here are
KerasSimpleRNN and KerasLSTM, which write the Keras cell out step by step with one trained bias
(bias_ih_l0) and keep bias_hh_l0 as a zero buffer, only so that the tensor names match Java's.
With PyTorch's initialisation the Java models train both biases, and their twins use nn.RNN and
nn.LSTM as they are.

Keras's GRU (reset_after=True, the default since TensorFlow 2) has two biases by design: the
reset gate multiplies (U h + b_h), so the two biases are no longer a plain sum. That is PyTorch's
nn.GRU, so every GRU twin uses nn.GRU and trains both biases.

Names: Java parameter -> state_dict key
---------------------------------------
    LAYER.l_0_i2h_WEIGHT -> LAYER.weight_ih_l0      (gates * hidden, inputs)
    LAYER.l_0_h2h_WEIGHT -> LAYER.weight_hh_l0      (gates * hidden, hidden)
    LAYER.l_0_i2h_BIAS   -> LAYER.bias_ih_l0
    LAYER.l_0_h2h_BIAS   -> LAYER.bias_hh_l0        (a zero buffer in the Keras twins)
    embedding            -> embedding.weight        (vocabulary, embedding size)
    dense.weight, dense.bias, weights, biases: the same

Gate order is PyTorch's (LSTM: input, forget, cell, output; GRU: reset, update, new), because DJL's
engine calls PyTorch's own kernels; Keras's LSTM has the same order, its GRU puts update first.
"""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RECURRENT_NAMES = {"l_0_i2h_WEIGHT": "weight_ih_l0", "l_0_h2h_WEIGHT": "weight_hh_l0",
                   "l_0_i2h_BIAS": "bias_ih_l0", "l_0_h2h_BIAS": "bias_hh_l0"}  # DJL -> PyTorch
_KERAS_NAMES = {"SIMPLE_RNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru"}


def state_dict_name(java_name):
    """The state_dict key of a Java parameter name, e.g. 'lstm.l_0_i2h_BIAS' -> 'lstm.bias_ih_l0'."""
    if java_name == "embedding":
        return "embedding.weight"
    layer, dot, parameter = java_name.rpartition(".")
    return layer + dot + RECURRENT_NAMES.get(parameter, parameter)


class KerasSimpleRNN(nn.Module):
    """Keras's SimpleRNN, batch first: h_t = tanh(x_t W^T + b + h_(t-1) U^T), one bias.

    Returns (outputs, last state) like nn.RNN. bias_hh_l0 is a zero buffer, never trained."""

    def __init__(self, input_size, hidden):
        super().__init__()
        self.hidden = hidden
        self.weight_ih_l0 = nn.Parameter(torch.empty(hidden, input_size))
        self.weight_hh_l0 = nn.Parameter(torch.empty(hidden, hidden))
        self.bias_ih_l0 = nn.Parameter(torch.zeros(hidden))
        self.register_buffer("bias_hh_l0", torch.zeros(hidden))
        nn.init.xavier_uniform_(self.weight_ih_l0)
        nn.init.orthogonal_(self.weight_hh_l0)

    def forward(self, x):
        h = x.new_zeros(x.size(0), self.hidden)
        outputs = []
        inputs = x @ self.weight_ih_l0.t() + self.bias_ih_l0  # every step's input part at once
        for t in range(x.size(1)):
            h = torch.tanh(inputs[:, t] + h @ self.weight_hh_l0.t())
            outputs.append(h)
        return torch.stack(outputs, 1), h.unsqueeze(0)


class KerasLSTM(nn.Module):
    """Keras's LSTM, batch first, one bias per gate, gates in the order input, forget, cell, output:

        i, f, g, o = split(x_t W^T + b + h_(t-1) U^T);  c = sig(f) c + sig(i) tanh(g);  h = sig(o) tanh(c)

    Keras starts the forget gate's bias at 1 (unit_forget_bias). bias_hh_l0 is a zero buffer."""

    def __init__(self, input_size, hidden):
        super().__init__()
        self.hidden = hidden
        self.weight_ih_l0 = nn.Parameter(torch.empty(4 * hidden, input_size))
        self.weight_hh_l0 = nn.Parameter(torch.empty(4 * hidden, hidden))
        self.bias_ih_l0 = nn.Parameter(torch.zeros(4 * hidden))
        self.register_buffer("bias_hh_l0", torch.zeros(4 * hidden))
        nn.init.xavier_uniform_(self.weight_ih_l0)
        nn.init.orthogonal_(self.weight_hh_l0)
        with torch.no_grad():
            self.bias_ih_l0[hidden:2 * hidden] = 1.0

    def forward(self, x):
        n = x.size(0)
        h = x.new_zeros(n, self.hidden)
        c = x.new_zeros(n, self.hidden)
        outputs = []
        inputs = x @ self.weight_ih_l0.t() + self.bias_ih_l0
        for t in range(x.size(1)):
            i, f, g, o = (inputs[:, t] + h @ self.weight_hh_l0.t()).chunk(4, 1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
            outputs.append(h)
        return torch.stack(outputs, 1), (h.unsqueeze(0), c.unsqueeze(0))


def recurrent_layer(cell, input_size, hidden, init):
    """The recurrent layer of a Java model: cell 'SIMPLE_RNN', 'LSTM' or 'GRU', init 'KERAS' or 'PYTORCH'."""
    if init == "KERAS" and cell == "SIMPLE_RNN":
        return KerasSimpleRNN(input_size, hidden)
    if init == "KERAS" and cell == "LSTM":
        return KerasLSTM(input_size, hidden)
    layer = {"SIMPLE_RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[cell](input_size, hidden, batch_first=True)
    if init == "KERAS":  # GRU: Glorot input kernel, orthogonal recurrent kernel, both biases zero
        nn.init.xavier_uniform_(layer.weight_ih_l0)
        nn.init.orthogonal_(layer.weight_hh_l0)
        nn.init.zeros_(layer.bias_ih_l0)
        nn.init.zeros_(layer.bias_hh_l0)
    return layer  # PyTorch's own U(+-1/sqrt(hidden)) otherwise


def _dense(hidden, outputs, init):
    dense = nn.Linear(hidden, outputs)
    if init == "KERAS":
        nn.init.xavier_uniform_(dense.weight)
        nn.init.zeros_(dense.bias)
    return dense


class RnnClassifier(nn.Module):
    """rnn and lstm-rows: a recurrent layer over the image rows, Dense(classes) on its last output.

        model = tf.keras.Sequential([tf.keras.layers.SimpleRNN(64, input_shape=(28, 28)),
                                     tf.keras.layers.Dense(10, activation='softmax')])

    Each of the H time steps sees the C * W values of one image row; logits out."""

    def __init__(self, channels=1, height=28, width=28, classes=10, cell="SIMPLE_RNN", hidden=64, init="KERAS"):
        super().__init__()
        self.layer_name = _KERAS_NAMES[cell]
        self.add_module(self.layer_name, recurrent_layer(cell, channels * width, hidden, init))
        self.dense = _dense(hidden, classes, init)

    def forward(self, x):
        n, c, h, w = x.shape
        rows = x.permute(0, 2, 1, 3).reshape(n, h, c * w)
        sequence, _ = getattr(self, self.layer_name)(rows)
        return self.dense(sequence[:, -1])


class CharRnn(nn.Module):
    """char-rnn: the Keras character model, on (N, T) int64 character indices; logits of the next one.

        model = tf.keras.Sequential([tf.keras.layers.Embedding(vocab_size, embedding_dim),
                                     tf.keras.layers.SimpleRNN(64),
                                     tf.keras.layers.Dense(vocab_size, activation='softmax')])"""

    def __init__(self, vocabulary, sequence_length=40, embedding_size=32, hidden=64, init="KERAS"):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, embedding_size)
        if init == "KERAS":
            nn.init.uniform_(self.embedding.weight, -0.05, 0.05)
        self.simple_rnn = recurrent_layer("SIMPLE_RNN", embedding_size, hidden, init)
        self.dense = _dense(hidden, vocabulary, init)

    def forward(self, chars):
        sequence, _ = self.simple_rnn(self.embedding(chars))
        return self.dense(sequence[:, -1])


class LinearRegression(nn.Module):
    """linear-regression: the TensorFlow 1 seed, W = tf.Variable(0.0), b = tf.Variable(0.0), W * x + b."""

    def __init__(self):
        super().__init__()
        self.weights = nn.Parameter(torch.tensor(0.0))
        self.biases = nn.Parameter(torch.tensor(0.0))

    def forward(self, x):
        return self.weights * x + self.biases


def twin(model, arguments=None):
    """The twin of a Java model from its name and its spec's arguments, as a checkpoint stores them."""
    a = arguments or {}
    if model == "rnn":
        shape = a["input"]
        return RnnClassifier(shape["channels"], shape["height"], shape["width"], a["classes"], a["cell"],
                             a["hidden"], a["init"])
    if model == "char-rnn":
        return CharRnn(a["vocabulary"], a["sequenceLength"], a["embeddingSize"], a["hidden"], a["init"])
    if model == "linear-regression":
        return LinearRegression()
    raise ValueError(f"no sequence twin for model '{model}'; these are rnn, char-rnn and linear-regression")


def load_java(module, arrays, name=state_dict_name):
    """Copies Java's tensors (Java name -> numpy array) into the twin's state_dict, checking that every
    name and shape fits and that every tensor of the twin is given."""
    state = module.state_dict()
    given = set()
    for java_name, value in arrays.items():
        key = name(java_name)
        if key not in state:
            raise KeyError(f"Java tensor {java_name} has no place in the twin (looked for {key}; it has "
                           f"{sorted(state)})")
        if tuple(state[key].shape) != tuple(value.shape):
            raise ValueError(f"Java tensor {java_name} is {value.shape}, the twin's {key} is {tuple(state[key].shape)}")
        with torch.no_grad():
            state[key].copy_(torch.from_numpy(np.asarray(value)))
        given.add(key)
    missing = [k for k in state if k not in given and not k.endswith("num_batches_tracked")]
    if missing:
        raise ValueError(f"the Java tensors leave {missing} of the twin unset")
    return module

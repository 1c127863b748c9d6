#!/usr/bin/python3
"""The PyTorch half of the conformance suite: Java and PyTorch compute the same training step.

    ./rosetta conformance --output-dir target/conformance      # Java writes one .npz per case
    /usr/bin/python3 pytorch/conformance.py target/conformance  # PyTorch recomputes and compares
    /usr/bin/python3 pytorch/conformance.py --self-test target/conformance

For every case of the manifest (every model and preset at its seed shape and at a small one), the
twin of the Java model (image_twins.py, sequence_twins.py) loads Java's starting weights and, on
Java's batch, computes in training mode the logits, the mean cross-entropy, the gradient of every
trained parameter, and every parameter after one and two steps of torch.optim.Adam and of
torch.optim.SGD with momentum (the linear regression: its squared error and two SGD steps).

Bounds come from float32 noise, measured per quantity: the twin computes everything twice, in
float32 and in float64. The float64 result is the reference; a Java value passes when its largest
distance from the reference is at most FACTOR times the float32 twin's largest distance from it,
plus FLOOR float32 rounding steps of the quantity's largest magnitude (for values both sides get
exactly). Steps are compared as changes (after - before), so a wrong step cannot hide behind the
size of the weights.

--self-test proves that the suite can fail: it reruns the comparison with a deliberately wrong
learning rate, Adam epsilon and SGD momentum on the PyTorch side, and passes only when each makes
exactly the quantities it touches fail (and the correct settings pass).

Exit status: 0 when every check passes, 1 when one fails, 2 for bad input.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_twins  # noqa: E402
import sequence_twins  # noqa: E402

FACTOR = 8.0
FLOOR = 64.0
F32_EPS = float(np.finfo(np.float32).eps)

IMAGE_MODELS = {
    "softmax-regression": (image_twins.SoftmaxRegression, []),
    "mlp": (image_twins.Mlp, ["hidden", "init"]),
    "mlp-dropout": (image_twins.DropoutMlp, ["hidden", "dropoutRate", "init"]),
    "simple-cnn": (image_twins.SimpleCNN, ["init"]),
    "cifar-cnn": (image_twins.CifarCNN, ["init"]),
    "tanh-cnn": (image_twins.TanhCNN, ["init"]),
    "bn-cnn": (image_twins.BatchNormCNN, ["widths", "convsPerStage", "hidden", "dropoutRate", "init"]),
}
KWARGS = {"hidden": "hidden", "init": "init", "dropoutRate": "dropout_rate", "widths": "widths",
          "convsPerStage": "convs_per_stage"}


def build_twin(case):
    """The twin of a case's Java model, and the function naming its tensors."""
    model = case["model"]
    if model in IMAGE_MODELS:
        cls, names = IMAGE_MODELS[model]
        a = case["arguments"]
        shape = a["input"]
        kwargs = {KWARGS[n]: (a[n].lower() if n == "init" else a[n]) for n in names}
        return cls(shape["channels"], shape["height"], shape["width"], a["classes"], **kwargs), \
            image_twins.state_dict_name
    return sequence_twins.twin(model, case.get("arguments")), sequence_twins.state_dict_name


class Settings:
    """The optimiser settings the PyTorch side uses; the self-test makes one of them wrong."""

    def __init__(self, case, lr_scale=1.0, eps=None, momentum=None):
        adam = case.get("adam") or {}
        sgd = case["sgd"]
        self.adam_lr = adam.get("lr", 0.0) * lr_scale
        self.adam_eps = adam.get("eps", 0.0) if eps is None else eps
        self.sgd_lr = sgd["lr"] * lr_scale
        self.sgd_momentum = sgd["momentum"] if momentum is None else momentum


def compute(case, data, settings, dtype):
    """Everything the Java side wrote, recomputed by the twin in one dtype: name -> numpy array.

    The forward and backward pass (logits, loss, grad.*) is the twin's own. Each optimiser step
    starts from Java's weights before it and takes the gradient Java's step took (grad.* for the
    first, adam-grad2.* and sgd-grad2.* for the second), so that it checks the update rule alone:
    Adam divides by sqrt(v) + eps, which near a zero gradient magnifies gradient noise by lr / eps."""
    torch.manual_seed(0)
    names = case["parameters"]
    trained = case["trained"]
    x = torch.from_numpy(data["x"])
    if x.is_floating_point():
        x = x.to(dtype)
    y = torch.from_numpy(data["y"])
    out = {}

    def model_at(prefix):
        """The twin at Java's weights, and its trained parameters that Java trains too."""
        model, name = build_twin(case)
        sequence_twins.load_java(model, {n: data[prefix + n] for n in names}, name)
        model = model.to(dtype)
        model.train()
        keys = dict(model.named_parameters())
        return model, name, [(n, keys[name(n)]) for n in trained if name(n) in keys]

    def values(model, name):
        state = model.state_dict()
        return {n: state[name(n)].detach().to(torch.float64).numpy().copy() for n in names}

    if case["model"] == "linear-regression":
        model, name, params = model_at("param.")
        out["loss"] = torch.mean(torch.square(y.to(dtype) - model(x))).detach().to(torch.float64).numpy()
        optimizer = torch.optim.SGD([p for _, p in params], lr=settings.sgd_lr, momentum=settings.sgd_momentum)
        for step in (1, 2):
            if step == 2:
                with torch.no_grad():
                    sequence_twins.load_java(model, {n: data["sgd1." + n] for n in names}, name)
            optimizer.zero_grad()
            torch.mean(torch.square(y.to(dtype) - model(x))).backward()
            optimizer.step()
            out.update({f"sgd{step}.{n}": v for n, v in values(model, name).items()})
        return out

    model, name, params = model_at("param.")
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    out["logits"] = logits.detach().to(torch.float64).numpy()
    out["loss"] = loss.detach().to(torch.float64).numpy()
    for n, p in params:
        out["grad." + n] = p.grad.detach().to(torch.float64).numpy()
    for kind in ("adam", "sgd"):
        model, name, params = model_at("param.")
        tensors = [p for _, p in params]
        if kind == "adam":
            optimizer = torch.optim.Adam(tensors, lr=settings.adam_lr, eps=settings.adam_eps)
        else:
            optimizer = torch.optim.SGD(tensors, lr=settings.sgd_lr, momentum=settings.sgd_momentum)
        for step in range(1, case["steps"] + 1):
            if step > 1:  # Java's weights after the step before; the optimiser keeps its own state
                with torch.no_grad():
                    sequence_twins.load_java(model, {n: data[f"{kind}{step - 1}.{n}"] for n in names}, name)
            gradient = "grad." if step == 1 else f"{kind}-grad{step}."
            with torch.no_grad():
                model(x)  # the training-mode forward pass moves batch norm's running statistics
            for n, p in params:
                p.grad = torch.from_numpy(data[gradient + n]).to(dtype)
            optimizer.step()
            out.update({f"{kind}{step}.{n}": v for n, v in values(model, name).items()})
    return out


def as_change(key, value, data):
    """Steps are compared as changes from Java's weights before that step."""
    prefix, _, name = key.partition(".")
    for kind in ("adam", "sgd"):
        if prefix.startswith(kind) and prefix[len(kind):].isdigit():
            step = int(prefix[len(kind):])
            before = "param." if step == 1 else f"{kind}{step - 1}."
            return value - data[before + name].astype(np.float64)
    return value


def check(case, data, settings):
    """Compares one case; returns a list of (quantity, passed, error, bound, noise)."""
    f64 = compute(case, data, settings, torch.float64)
    f32 = compute(case, data, settings, torch.float32)
    results = []
    # the same tensors must train on both sides: a Java tensor that the twin keeps fixed, or the
    # reverse (a second recurrent bias where Keras has one), is a difference in the model itself
    twin, name = build_twin(case)
    twin_trained = {k for k, _ in twin.named_parameters()}
    java_trained = {name(n) for n in case["trained"]}
    if twin_trained != java_trained:
        print(f"  {case['id']}: trained by Java only: {sorted(java_trained - twin_trained)}; by the twin only:"
              f" {sorted(twin_trained - java_trained)}")
    results.append(("trained tensors", twin_trained == java_trained, 0.0, 0.0, 0.0))
    for key in sorted(f64):
        if key not in data:
            raise KeyError(f"{case['id']}: the Java file {case['file']} has no {key}")
        reference = as_change(key, f64[key], data)
        noise = float(np.max(np.abs(as_change(key, f32[key], data) - reference), initial=0.0))
        java = as_change(key, data[key].astype(np.float64), data)
        if java.shape != reference.shape:
            results.append((key, False, float("inf"), 0.0, noise))
            continue
        error = float(np.max(np.abs(java - reference), initial=0.0))
        scale = float(np.max(np.abs(reference), initial=0.0))
        bound = FACTOR * noise + FLOOR * F32_EPS * scale
        results.append((key, error <= bound, error, bound, noise))
    return results


def kind_of(quantity):
    """'logits', 'loss', 'grad', 'adam1', 'sgd2', ..."""
    return quantity.split(".", 1)[0]


def run_suite(folder, cases, make_settings, verbose, out):
    failed_quantities = []
    passed = failed = 0
    ratios = []
    for case in cases:
        data = np.load(os.path.join(folder, case["file"]))
        results = check(case, data, make_settings(case))
        bad = [r for r in results if not r[1]]
        passed += len(results) - len(bad)
        failed += len(bad)
        for quantity, ok, error, bound, noise in results:
            if noise > 0:
                ratios.append(error / noise)
            if not ok:
                failed_quantities.append((case["id"], quantity))
        if verbose or bad:
            for quantity, ok, error, bound, noise in results:
                if verbose or not ok:
                    print(f"  {'ok  ' if ok else 'FAIL'} {case['id']} {quantity}: |java - float64| {error:.3g},"
                          f" bound {bound:.3g} (float32 twin {noise:.3g})", file=out)
        if case.get("note"):
            note = f" ({case['note']})"
        else:
            note = ""
        print(f"{case['id']}: {len(results) - len(bad)} passed, {len(bad)} failed{note}", file=out)
    return passed, failed, failed_quantities, ratios


def load_manifest(folder):
    path = os.path.join(folder, "manifest.json")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except FileNotFoundError:
        raise SystemExit(f"error: {path} does not exist. Write it first: ./rosetta conformance --output-dir {folder}")
    if manifest.get("format") != "rosetta-dl-conformance" or manifest.get("version") != 1:
        raise SystemExit(f"error: {path} is not a version 1 rosetta-dl-conformance manifest")
    return manifest


# The wrong settings of the self-test, and the quantities each must make fail (and no others).
MUTATIONS = [
    ("learning rate x1.1", lambda c: Settings(c, lr_scale=1.1), ("adam1", "adam2", "sgd1", "sgd2")),
    ("Adam epsilon 1e-3", lambda c: Settings(c, eps=1e-3), ("adam1", "adam2")),
    ("SGD momentum 0.5", lambda c: Settings(c, momentum=0.5), ("sgd2",)),
]


def self_test(folder, cases, out):
    ok = True
    for label, make, expected in MUTATIONS:
        # momentum only shows from the second step on, and linear regression has no momentum in Java
        subject = [c for c in cases if not (expected == ("sgd2",) and c["sgd"]["momentum"] == 0)]
        subject = [c for c in subject if not (expected == ("adam1", "adam2") and "adam" not in c)]
        _, failed, quantities, _ = run_suite(folder, subject, make, False, open(os.devnull, "w"))
        kinds = sorted({kind_of(q) for _, q in quantities})
        failing_cases = sorted({c for c, _ in quantities})
        unexpected = [k for k in kinds if k not in expected]
        silent = [c["id"] for c in subject if c["id"] not in failing_cases]
        good = failed > 0 and not unexpected and not silent
        ok = ok and good
        print(f"self-test, {label}: {failed} failed in {len(failing_cases)} of {len(subject)} cases, quantities"
              f" {', '.join(kinds) or 'none'}" + ("" if good else
                                                   f" -- EXPECTED failures in every case and only in {', '.join(expected)}"
                                                   f"{'; cases that passed: ' + ', '.join(silent) if silent else ''}"),
              file=out)
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="the folder ./rosetta conformance wrote")
    parser.add_argument("--only", help="only cases whose id contains one of these (comma-separated)")
    parser.add_argument("--self-test", action="store_true",
                        help="show that a wrong learning rate, epsilon or momentum makes the suite fail")
    parser.add_argument("--verbose", action="store_true", help="print every quantity, not only failures")
    args = parser.parse_args()
    torch.set_num_threads(1)
    manifest = load_manifest(args.folder)
    cases = manifest["cases"]
    if args.only:
        wanted = args.only.split(",")
        cases = [c for c in cases if any(w in c["id"] for w in wanted)]
        if not cases:
            raise SystemExit(f"error: --only {args.only} matches none of the {len(manifest['cases'])} cases")
    print(f"Java: {manifest.get('java')}; PyTorch {torch.__version__}, numpy {np.__version__}")
    start = time.time()
    if args.self_test:
        ok = self_test(args.folder, cases, sys.stdout)
        print(f"self-test {'passed' if ok else 'FAILED'} ({time.time() - start:.0f} s)")
        return 0 if ok else 1
    passed, failed, _, ratios = run_suite(args.folder, cases, Settings, args.verbose, sys.stdout)
    if ratios:
        print(f"largest |java - float64| / |float32 twin - float64|: {max(ratios):.2f}"
              f" (median {float(np.median(ratios)):.2f}; a check fails above {FACTOR:g} plus the floor)")
    print(f"{passed} passed, {failed} failed ({len(cases)} cases, {time.time() - start:.0f} s)")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Conv2d forward/backward against a float64 reference for channel counts around multiples of 16.

The Python twin of core's ConvolutionWidthProbe: run it with any PyTorch to see whether that build's
CPU (oneDNN) or CUDA convolutions return wrong input gradients for widths that are not multiples of
16, as libtorch 2.7.1 (DJL 0.36) does on AVX2/AVX-512 CPUs. Prints one markdown row per shape.

    python3 bench/conv_width_check.py [--cuda] [--threads N]
"""
import argparse
import platform

import torch
import torch.nn.functional as F


def relative(actual, reference):
    return ((actual.double() - reference).abs().max() / reference.abs().max()).item()


def check(device, n, cin, cout, side):
    g = torch.Generator().manual_seed(7)
    x = torch.randn(n, cin, side, side, generator=g, dtype=torch.float64)
    w = torch.randn(cout, cin, 3, 3, generator=g, dtype=torch.float64) * 0.2
    b = torch.randn(cout, generator=g, dtype=torch.float64)
    up = torch.randn(n, cout, side, side, generator=g, dtype=torch.float64)
    ref = [t.clone().requires_grad_() for t in (x, w, b)]
    ref_y = F.conv2d(*ref, padding=1)
    ref_y.backward(up)
    got = [t.float().to(device).requires_grad_() for t in (x, w, b)]
    y = F.conv2d(*got, padding=1)
    y.backward(up.float().to(device))
    return [relative(y.cpu(), ref_y.detach())] + [relative(t.grad.cpu(), r.grad) for t, r in zip(got, ref)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cuda", action="store_true")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.backends.cudnn.allow_tf32 = False  # TF32 would hide nothing but blur the comparison
    device = "cuda" if args.cuda else "cpu"
    cpu = getattr(torch.backends, "cpu", None)  # absent before torch 2.0
    capability = cpu.get_cpu_capability() if cpu else "unknown"
    where = torch.cuda.get_device_name() if args.cuda else \
        f"{platform.machine()}, ATen capability {capability}, {torch.get_num_threads()} threads"
    print(f"torch {torch.__version__} on {device} ({where})")
    print("| in | out | output | input gradient | weight gradient | bias gradient | verdict |")
    print("|---|---|---|---|---|---|---|")
    for cin in (3, 16, 24):
        for cout in (1, 4, 8, 12, 15, 16, 17, 20, 24, 32, 40, 48, 50, 64, 65, 100, 128):
            errors = check(device, 8, cin, cout, 8)
            verdict = "exact" if all(e < 1e-4 for e in errors) else "WRONG"
            print(f"| {cin} | {cout} | " + " | ".join(f"{e:.1e}" for e in errors) + f" | {verdict} |")


if __name__ == "__main__":
    main()

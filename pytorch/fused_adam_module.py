#!/usr/bin/python3
"""Writes the TorchScript module through which the Java loop calls libtorch's fused Adam kernel.

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 pytorch/fused_adam_module.py \
        core/src/main/resources/io/github/rosettadl/core/training/fused-adam.pt

DJL has no binding for `torch._fused_adam_` (the kernel behind `torch.optim.Adam(fused=True)`, on
the CPU since PyTorch 2.4), but it runs TorchScript, and a TorchScript file is compiled from its
source text when it is loaded. Debian's torch 1.13 predates the op, so this script scripts a
placeholder with the same signature and then puts the call into the saved source; the Java side's
libtorch compiles it. One call updates every parameter in one pass over the buffers.
"""
import io
import sys
import zipfile
from typing import List

import torch

PLACEHOLDER = "torch._foreach_add_(params, grads)"
CALL = ("torch._fused_adam_(params, grads, exp_avgs, exp_avg_sqs, annotate(List[Tensor], []), state_steps,"
        " lr=lr, beta1=beta1, beta2=beta2, weight_decay=0., eps=eps, amsgrad=False, maximize=False)")


class FusedAdam(torch.nn.Module):
    def forward(self, params: List[torch.Tensor], grads: List[torch.Tensor], exp_avgs: List[torch.Tensor],
                exp_avg_sqs: List[torch.Tensor], state_steps: List[torch.Tensor], lr: float, beta1: float,
                beta2: float, eps: float) -> None:
        torch._foreach_add_(params, grads)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    saved = io.BytesIO()
    torch.jit.save(torch.jit.script(FusedAdam()), saved)
    replaced = 0
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            if info.filename.endswith(".debug_pkl"):
                continue  # source ranges of the placeholder text
            data = source.read(info.filename)
            if info.filename.endswith("code/__torch__.py"):
                text = data.decode()
                replaced = text.count(PLACEHOLDER)
                data = text.replace(PLACEHOLDER, CALL).encode()
            name = "fused_adam/" + info.filename.split("/", 1)[1]
            target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    if replaced != 1:
        sys.exit(f"expected the placeholder once in the scripted source, found it {replaced} times")


if __name__ == "__main__":
    main()

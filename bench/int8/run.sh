#!/usr/bin/env bash
# Static int8 (weights and activations) for trained checkpoints: quantize_static.py in PyTorch, then
# Int8TorchScript.java through DJL. Usage: bench/int8/run.sh DATA_DIR OUT_DIR CKPT...
# Needs the build (./rosetta builds it) and python3 with torch (torch.ao.quantization).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$1"; out="$2"; shift 2
target="${ROSETTA_TARGET:-$root/examples/target}"
jar="$(find "$target" -maxdepth 1 -name 'rosetta-dl-examples-*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' | head -n 1)"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
for ckpt in "$@"; do
  python3 "$root/bench/int8/quantize_static.py" "$ckpt" "$out" --data-dir "$data" 2>/dev/null
  java -cp "$jar:$target/lib/*" "$root/bench/int8/Int8TorchScript.java" "$ckpt" "$out" "$data" 2>&1 \
    | grep -v -e '^\[INFO\]' -e '^\[WARN\]' -e ' WARN ' -e ' INFO '
done

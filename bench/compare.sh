#!/usr/bin/env bash
# Java (`./rosetta bench`) against plain PyTorch (bench/pytorch_bench.py) on the same models, data,
# batch size, optimizer and threads. Builds once, then for each round, model and thread count runs
# each side in a fresh process, alternating the order; prints bench/ratio_table.py's markdown table
# and keeps the JSON lines. With --library, a third side times the same bench as a program that uses
# the library runs it: a plain `java -cp` JVM, no launcher, no allocator variables, the JVM's default
# collector. See bench/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

rounds=3
models="mlp simple-cnn cifar-cnn"
threads="1 2"
data_dir="$root/../shared/data"
mlp_steps="2000 3000"   # warm-up, timed
cnn_steps="200 300"
output=""
build=1
library=0
python="${PYTHON:-/usr/bin/python3}"
openblas="${OPENBLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-openmp}"

usage() {
  cat <<USAGE
usage: bench/compare.sh [--rounds N] [--models "mlp simple-cnn cifar-cnn"] [--threads "1 2"] [--data-dir DIR]
                        [--mlp-steps "WARMUP TIMED"] [--cnn-steps "WARMUP TIMED"] [--output FILE.jsonl] [--no-build]
                        [--library]
defaults: --rounds $rounds --models "$models" --threads "$threads" --data-dir ../shared/data
          --mlp-steps "$mlp_steps" --cnn-steps "$cnn_steps"
env: PYTHON (default /usr/bin/python3, with torch), OPENBLAS_DIR (OpenBLAS's OpenMP build), MVN_ARGS (e.g. -o)
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    --mlp-steps) mlp_steps="$2"; shift 2 ;;
    --cnn-steps) cnn_steps="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --library) library=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --rounds must be a positive number, got '$rounds'" >&2; exit 2; }
[ -d "$data_dir/mnist" ] || { echo "compare.sh: no MNIST under $data_dir/mnist (give --data-dir)" >&2; exit 2; }
case " $models " in *" cifar-cnn "*)
  [ -d "$data_dir/cifar-10-batches-bin" ] \
    || { echo "compare.sh: no CIFAR-10 under $data_dir/cifar-10-batches-bin (give --data-dir)" >&2; exit 2; } ;;
esac
"$python" -c 'import torch, numpy' 2>/dev/null \
  || { echo "compare.sh: $python cannot import torch and numpy (set PYTHON)" >&2; exit 2; }
[ -d "$openblas" ] || echo "compare.sh: warning: $openblas not found; PyTorch may use reference BLAS" >&2

if [ -z "$output" ]; then
  mkdir -p "$root/target/bench"
  output="$root/target/bench/compare-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
fi
: > "$output"
log="${output%.jsonl}.log"
: > "$log"

if [ "$build" = 1 ]; then
  echo "Building (mvn package, tests skipped)..." >&2
  (cd "$root" && mvn -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true ${MVN_ARGS:-} package >&2)
fi
# time a copy of the build: a later build in examples/target must not change the jar between runs
snapshot="${output%.jsonl}-app"
rm -rf "$snapshot" && mkdir -p "$snapshot"
find "$root/examples/target" -maxdepth 1 -name 'rosetta-dl-examples-*.jar' ! -name '*-sources.jar' \
  ! -name '*-javadoc.jar' -exec cp {} "$snapshot/" \;
cp -r "$root/examples/target/lib" "$snapshot/"

steps_of() { case "$1" in mlp) echo "$mlp_steps" ;; *) echo "$cnn_steps" ;; esac; }
dataset_of() { case "$1" in cifar-cnn) echo cifar10 ;; *) echo mnist ;; esac; }

run_java() { # model threads warmup steps
  (cd "$root" && ROSETTA_TARGET="$snapshot" ./rosetta bench --model "$1" --dataset "$(dataset_of "$1")" \
     --threads "$2" --warmup-steps "$3" --steps "$4" --data-dir "$data_dir" --offline --device cpu --format json \
     2>>"$log") | grep '^{' >> "$output"
}

run_library() { # model threads warmup steps: what a program on the library gets, nothing set outside it
  (cd "$root" && env -u MALLOC_ARENA_MAX -u MALLOC_MMAP_THRESHOLD_ -u MALLOC_TRIM_THRESHOLD_ ROSETTA_RELAUNCH=false \
     java -cp "$snapshot/*:$snapshot/lib/*" io.github.rosettadl.examples.cli.RosettaCli bench --model "$1" \
     --dataset "$(dataset_of "$1")" --threads "$2" --warmup-steps "$3" --steps "$4" --data-dir "$data_dir" \
     --offline --device cpu --format json 2>>"$log") | grep '^{' | sed 's/"side":"java"/"side":"library"/' >> "$output"
}

run_pytorch() { # model threads warmup steps
  # the same glibc allocator settings as the launcher gives Java: with glibc's defaults PyTorch's
  # freed temporaries page-fault back in every step too (SimpleCNN 51 ms instead of 12)
  MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-268435456}" \
  MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}" LD_LIBRARY_PATH="$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$python" "$root/bench/pytorch_bench.py" \
    --model "$1" --threads "$2" --warmup-steps "$3" --steps "$4" --data-dir "$data_dir" --format json \
    2>>"$log" >> "$output"
}

for round in $(seq 1 "$rounds"); do
  for model in $models; do
    read -r warmup timed <<< "$(steps_of "$model")"
    for t in $threads; do
      echo "round $round/$rounds: $model, $t thread(s)" >&2
      if [ $((round % 2)) = 1 ]; then
        run_java "$model" "$t" "$warmup" "$timed"; run_pytorch "$model" "$t" "$warmup" "$timed"
        [ "$library" = 0 ] || run_library "$model" "$t" "$warmup" "$timed"
      else
        [ "$library" = 0 ] || run_library "$model" "$t" "$warmup" "$timed"
        run_pytorch "$model" "$t" "$warmup" "$timed"; run_java "$model" "$t" "$warmup" "$timed"
      fi
    done
  done
done

echo "JSON lines: $output" >&2
"$python" "$root/bench/ratio_table.py" "$output"

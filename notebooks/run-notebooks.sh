#!/usr/bin/env bash
# Executes the notebooks headless and prints "N passed, N failed"; exits non-zero on any failure.
#
#   notebooks/run-notebooks.sh              # check run (CI): small limits, executed copies go to a
#                                           # temp folder, the tree stays clean
#   notebooks/run-notebooks.sh --in-place   # full run that writes the outputs into the notebooks
#   notebooks/run-notebooks.sh 01-linear-regression.ipynb   # just some
#   notebooks/run-notebooks.sh --self-test  # proves the runner's retry rules with fake kernels
#
# Needs the kernel (install-kernel.sh) and notebooks/lib (build-lib.sh). Settings: MAX_STEPS,
# MAX_EPOCH, DATASET_LIMIT (the run's size), THREADS (libtorch's), ROSETTA_DATA_DIR (where the data
# sets are; default ../shared/data beside the repository, when it exists), NOTEBOOK_STARTUP_TIMEOUT (s, default 30),
# NOTEBOOK_CELL_TIMEOUT (s, default 900), JUPYTER_PYTHON (the Python with Jupyter).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/jupyter-python.sh
. "$here/tools/jupyter-python.sh"
find_jupyter_python
if [ ! -d "$here/lib" ]; then
  echo "notebooks/lib is missing: run notebooks/build-lib.sh first (it fills it with the project's jars)." >&2
  exit 1
fi
# The notebooks find MNIST and CIFAR-10 through ROSETTA_DATA_DIR (DataOptions); in this project's
# layout a copy lies beside the repository, in ../shared/data. A value set by the caller wins.
if [ -z "${ROSETTA_DATA_DIR:-}" ] && [ -d "$here/../../shared/data" ]; then
  ROSETTA_DATA_DIR="$(cd "$here/../../shared/data" && pwd)"
  export ROSETTA_DATA_DIR
fi
if [ "${1:-}" = "--self-test" ]; then
  exec "$JUPYTER_PYTHON" "$here/tools/test_runner.py"
fi
exec "$JUPYTER_PYTHON" "$here/tools/run_notebooks.py" "$@"

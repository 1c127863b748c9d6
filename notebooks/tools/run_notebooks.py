"""Executes notebooks headless with nbclient (the engine behind `jupyter nbconvert --execute`).

Called by notebooks/run-notebooks.sh, which picks a Python that has Jupyter. Each notebook runs in
a fresh kernel whose working directory is the notebook's own folder, so "%jar lib" and
"%load setup.jsh" resolve there.

- A kernel that never answers at start-up is retried, at most 3 times (4 starts in all): rapaio
  3.0.1 hangs that way about 1 start in 6 on a loaded machine, before it has run anything, and
  hangs have come back to back.
- A failing cell fails the notebook at once, without retry: the notebook is broken, not the kernel.
- The last line printed is "N passed, N failed"; the exit status is 1 when any notebook failed.
"""

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import coalesce_streams

NOTEBOOKS = Path(__file__).resolve().parent.parent
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
MAX_STARTS = 4
# Small limits for the check run: every notebook reads its size from these names (see setup.jsh),
# so CI stays within minutes while a reader's run, without them, is the full one.
# THREADS=1: on a loaded machine libtorch's threads of one operator wait on each other, and one
# thread trained 10 to 20 times faster than two (notebooks/README.md).
SMALL_LIMITS = {"MAX_STEPS": "200", "MAX_EPOCH": "1", "DATASET_LIMIT": "2000", "THREADS": "1"}


def positive_seconds(name, default):
    text = os.environ.get(name, str(default))
    try:
        value = float(text)
    except ValueError:
        value = -1
    if value <= 0:
        sys.exit(f"{name}='{text}' is not a positive number of seconds (default {default}).")
    return value


class KernelStartError(Exception):
    """The kernel process started but never answered, or died before answering."""


class ErrorOutput(Exception):
    """A cell showed an error although the kernel reported it as run."""


class NotebookRun:
    """One notebook: start a kernel (retrying start-up only), run every cell, report."""

    def __init__(self, path, kernel_name, startup_timeout, cell_timeout, log_dir):
        self.path = path
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.cell_timeout = cell_timeout
        self.log_dir = log_dir

    def execute(self):
        """Returns the executed notebook; raises on a failed cell or a kernel that never answered."""
        for attempt in range(1, MAX_STARTS + 1):
            nb = nbformat.read(self.path, as_version=4)
            for cell in nb.cells:
                cell.metadata.pop("execution", None)  # timings of an earlier run, not of this one
            client = NotebookClient(
                nb,
                kernel_name=self.kernel_name or "",
                timeout=int(self.cell_timeout),
                startup_timeout=int(self.startup_timeout),
                record_timing=False,  # timestamps in every cell would make each regeneration a diff
                resources={"metadata": {"path": str(self.path.parent)}},
            )
            log_file = self.log_dir / f"{self.path.stem}.kernel-{attempt}.log"
            started = time.monotonic()
            try:
                self._start_kernel(client, log_file)
            except KernelStartError as e:
                print(f"  kernel did not answer at start-up (start {attempt}/{MAX_STARTS}): {e}"
                      f"; kernel log: {log_file}", flush=True)
                continue
            print(f"  kernel ready in {time.monotonic() - started:.1f} s (start {attempt}/{MAX_STARTS})",
                  flush=True)
            client.execute()
            self._fail_on_error_outputs(nb)
            return nb
        raise KernelStartError(f"the kernel never answered in {MAX_STARTS} starts "
                               f"of {self.startup_timeout:.0f} s each")

    def _start_kernel(self, client, log_file):
        try:
            client.km = client.create_kernel_manager()
            with open(log_file, "w") as log:
                # the kernel's own stdout/stderr (its logging) go to the log, not into CI's output
                client.start_new_kernel(stdout=log, stderr=log)
            client.start_new_kernel_client()
        except NoSuchKernel:
            raise
        except Exception as e:  # nbclient raises RuntimeError or TimeoutError for a silent kernel
            if client.km is not None and client.km.has_kernel:
                client.km.shutdown_kernel(now=True)
            raise KernelStartError(f"{type(e).__name__}: {e}") from e

    @staticmethod
    def _fail_on_error_outputs(nb):
        # rapaio reports some failures (a %load whose script does not compile) as an error output
        # on a cell whose status is "ok": nbclient lets those through, so look for them here.
        for index, cell in enumerate(nb.cells):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    raise ErrorOutput(f"cell {index} shows {output.get('ename')}: {output.get('evalue')}\n"
                                      + "\n".join(output.get("traceback", [])))


def kernel_log_tail(log_dir, stem, lines=20):
    logs = sorted(log_dir.glob(f"{stem}.kernel-*.log"))
    if not logs:
        return ""
    tail = logs[-1].read_text(errors="replace").splitlines()[-lines:]
    return f"  last kernel log lines ({logs[-1]}):\n" + "\n".join("    " + line for line in tail)


def describe_failure(error, log_dir, stem):
    message = ANSI_ESCAPE.sub("", str(error)).strip()  # rapaio colours its tracebacks
    if isinstance(error, NoSuchKernel):
        message += "; notebooks/install-kernel.sh installs rosetta-java, `jupyter kernelspec list` shows them"
    text = "  " + message.replace("\n", "\n  ")
    if isinstance(error, (KernelStartError, DeadKernelError)):
        text += "\n" + kernel_log_tail(log_dir, stem)
    return text


def write_notebook(nb, source, target):
    """Writes beside the target, then renames: a reader never sees a half-written notebook."""
    # the kernel sends each print() as its own stream message: join them as Jupyter shows them
    nb, _ = coalesce_streams(nb, {})
    with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".tmp", delete=False) as tmp:
        nbformat.write(nb, tmp)
    os.chmod(tmp.name, source.stat().st_mode & 0o777)
    os.replace(tmp.name, target)


def main():
    parser = argparse.ArgumentParser(
        description="Execute notebooks headless. Default: a check run on small limits, writing the "
                    "executed copies to a temporary folder. --in-place: a full run that writes the "
                    "outputs back into the notebooks, to be committed.")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every notebooks/NN-*.ipynb)")
    parser.add_argument("--in-place", action="store_true",
                        help="write each executed notebook back over its source (no small limits)")
    parser.add_argument("--output-dir", type=Path,
                        help="where the check run writes executed copies (default: a new temp folder)")
    parser.add_argument("--kernel", help="kernel spec name (default: each notebook's own, rosetta-java)")
    args = parser.parse_args()

    # a bare name such as 01-linear-regression.ipynb means the one in notebooks/
    notebooks = [(p if p.exists() or p.is_absolute() else NOTEBOOKS / p).resolve() for p in args.notebooks] \
        or sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing:
        sys.exit(f"No such notebook: {', '.join(missing)}")
    if not notebooks:
        sys.exit(f"No notebooks matched NN-*.ipynb in {NOTEBOOKS}.")
    if args.in_place and args.output_dir:
        sys.exit("--in-place writes over the notebooks themselves; leave out --output-dir.")

    if not args.in_place:
        for name, value in SMALL_LIMITS.items():
            os.environ.setdefault(name, value)  # a value set by the caller wins
    limits = ", ".join(f"{name}={os.environ[name]}" for name in SMALL_LIMITS if name in os.environ)
    output_dir = None if args.in_place else (args.output_dir or Path(tempfile.mkdtemp(prefix="notebooks-")))
    log_dir = output_dir or Path(tempfile.mkdtemp(prefix="notebook-kernel-logs-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    startup_timeout = positive_seconds("NOTEBOOK_STARTUP_TIMEOUT", 30)
    cell_timeout = positive_seconds("NOTEBOOK_CELL_TIMEOUT", 900)
    print(f"Running {len(notebooks)} notebook(s) {'in place' if args.in_place else 'as a check'}; "
          f"limits: {limits or 'none (full run)'}; kernel logs and executed copies: {log_dir}", flush=True)

    passed = failed = 0
    for path in notebooks:
        print(f"{path.name}:", flush=True)
        started = time.monotonic()
        run = NotebookRun(path, args.kernel, startup_timeout, cell_timeout, log_dir)
        try:
            nb = run.execute()
        except (CellExecutionError, CellTimeoutError, DeadKernelError, ErrorOutput, KernelStartError,
                NoSuchKernel) as e:
            failed += 1
            print(f"FAIL {path.name} after {time.monotonic() - started:.1f} s: {type(e).__name__}", flush=True)
            print(describe_failure(e, log_dir, path.stem), flush=True)
            continue
        target = path if args.in_place else output_dir / path.name
        write_notebook(nb, path, target)
        passed += 1
        print(f"PASS {path.name} in {time.monotonic() - started:.1f} s -> {target}", flush=True)

    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

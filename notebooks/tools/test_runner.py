"""Self-test of the headless runner's rules, against fake kernels made from the installed one:

1. a kernel that never answers on its first start is started again, and the notebook passes;
2. a kernel that never answers at all is given up after 3 starts, and the run fails;
3. a cell that throws fails the notebook at once: one kernel start, no retry;
4. an error that rapaio shows on a cell it reports as run (a %load whose script does not compile)
   fails the notebook too.

Needs the rosetta-java kernel (install-kernel.sh). Run: notebooks/run-notebooks.sh --self-test.
"""

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

RUNNER = Path(__file__).resolve().parent / "run_notebooks.py"
sys.path.insert(0, str(RUNNER.parent))
from run_notebooks import MAX_STARTS  # noqa: E402
REAL_KERNEL = "rosetta-java"
STARTUP_TIMEOUT_S = "20"


def write_kernel(kernels_dir, name, shell_script, real):
    """A kernel spec whose process is `sh -c shell_script` with the connection file as $1."""
    spec_dir = kernels_dir / name
    spec_dir.mkdir(parents=True)
    spec = {"argv": ["/bin/sh", "-c", shell_script, name, "{connection_file}"],
            "display_name": name, "language": "java", "env": real.env}
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=2))


def write_notebook(path, kernel, source):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)],
                                  metadata={"kernelspec": {"name": kernel, "display_name": kernel,
                                                           "language": "java"}})
    nbformat.write(nb, path)


def run(notebook, jupyter_path, output_dir):
    env = dict(os.environ, JUPYTER_PATH=str(jupyter_path), NOTEBOOK_STARTUP_TIMEOUT=STARTUP_TIMEOUT_S)
    result = subprocess.run([sys.executable, str(RUNNER), "--output-dir", str(output_dir), str(notebook)],
                            env=env, capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout + result.stderr


def main():
    try:
        real = KernelSpecManager().get_kernel_spec(REAL_KERNEL)
    except NoSuchKernel:
        sys.exit(f"No kernel '{REAL_KERNEL}' to build the fake kernels from: run notebooks/install-kernel.sh first.")
    with tempfile.TemporaryDirectory(prefix="runner-self-test-") as tmp:
        tmp = Path(tmp)
        kernels = tmp / "kernels"
        real_command = " ".join(
            '"$1"' if arg == "{connection_file}" else shlex.quote(arg.replace("{resource_dir}", real.resource_dir))
            for arg in real.argv)
        marker = shlex.quote(str(tmp / "first-start-done"))
        # exec: the sleeping process is the kernel process itself, so the runner's kill reaches it
        write_kernel(kernels, "hangs-once",
                     f"if [ -e {marker} ]; then exec {real_command}; fi; touch {marker}; exec sleep 600", real)
        write_kernel(kernels, "never-answers", "exec sleep 600", real)
        write_notebook(tmp / "retried.ipynb", "hangs-once", 'System.out.println("ran after a retry");')
        write_notebook(tmp / "hangs.ipynb", "never-answers", 'System.out.println("never runs");')
        write_notebook(tmp / "failing.ipynb", REAL_KERNEL,
                       'throw new IllegalStateException("Check failed: on purpose");')
        (tmp / "broken.jsh").write_text("int broken = ;\n")
        write_notebook(tmp / "broken-load.ipynb", REAL_KERNEL, "%load broken.jsh")

        cases = [
            # the retried start is a real rapaio start, which may itself hang now and then: any later start may answer
            ("a start-up hang is retried", "retried.ipynb", lambda rc, out: (
                rc == 0 and f"did not answer at start-up (start 1/{MAX_STARTS})" in out
                and out.count("kernel ready") == 1 and out.rstrip().endswith("1 passed, 0 failed"))),
            (f"a kernel that never answers fails after {MAX_STARTS} starts", "hangs.ipynb", lambda rc, out: (
                rc == 1 and out.count("did not answer at start-up") == MAX_STARTS and "kernel ready" not in out
                and out.rstrip().endswith("0 passed, 1 failed"))),
            ("a failing cell fails at once, without retry", "failing.ipynb", lambda rc, out: (
                rc == 1 and out.count("kernel ready") == 1 and "Check failed: on purpose" in out
                and out.rstrip().endswith("0 passed, 1 failed"))),
            ("an error shown on a cell reported as run fails the notebook", "broken-load.ipynb",
             lambda rc, out: (rc == 1 and "ErrorOutput" in out and out.rstrip().endswith("0 passed, 1 failed"))),
        ]
        passed = failed = 0
        for title, notebook, holds in cases:
            rc, out = run(tmp / notebook, tmp, tmp / "out")
            if holds(rc, out):
                passed += 1
                print(f"ok   {title}", flush=True)
            else:
                failed += 1
                print(f"FAIL {title}: exit {rc}, output:\n  " + out.strip().replace("\n", "\n  "), flush=True)
    print(f"runner self-test: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

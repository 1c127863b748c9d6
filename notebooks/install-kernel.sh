#!/usr/bin/env bash
# Installs the Java kernel for these notebooks: rapaio-jupyter-kernel from Maven Central, registered
# with Jupyter as "rosetta-java". Run it again to update or repair; it replaces the old install.
#
#   notebooks/install-kernel.sh               # for this user (~/.local/share/jupyter/kernels)
#   notebooks/install-kernel.sh --sys-prefix  # into the Python environment Jupyter runs from
#
# Needs: Java 17+, Maven, and Jupyter's client libraries (see notebooks/README.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/jupyter-python.sh
. "$here/tools/jupyter-python.sh"

RJK_VERSION=3.0.1
KERNEL_NAME=rosetta-java
scope="${1:---user}"
case "$scope" in
  --user | --sys-prefix) ;;
  *) echo "Unknown option '$scope': use --user (the default) or --sys-prefix." >&2; exit 2 ;;
esac

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! java_bin="$(command -v "$java_bin")"; then
  echo "No java found (JAVA_HOME='${JAVA_HOME:-}', PATH); install JDK 17 or newer." >&2
  exit 1
fi
java_major="$("$java_bin" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
  echo "$java_bin is Java '${java_major:-unknown}'; the kernel and the project need 17 or newer." >&2
  exit 1
fi
find_jupyter_python

spec_dir="$(mktemp -d)"
trap 'rm -rf "$spec_dir"' EXIT

echo "Fetching io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION (Maven Central, or ~/.m2 when cached)..."
mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
  -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION" -DoutputDirectory="$spec_dir"

# {resource_dir} is the installed kernel folder, so the spec stays valid wherever Jupyter puts it.
# DJL_OFFLINE / OPT_OUT_TRACKING keep DJL off the network (its natives come from a jar); the MALLOC_
# settings are the ones docs/PERFORMANCE.md measured 3-5x faster for CNN training steps.
"$JUPYTER_PYTHON" - "$spec_dir/kernel.json" "$java_bin" "rapaio-jupyter-kernel-$RJK_VERSION.jar" "$RJK_VERSION" <<'PY'
import json, sys
path, java, jar, version = sys.argv[1:]
spec = {
    "argv": [java, "-Djava.awt.headless=true", "-jar", "{resource_dir}/" + jar, "{connection_file}"],
    "display_name": "Java (rapaio " + version + ", Rosetta DL)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        "RJK_CLASSPATH": "",
        "RJK_COMPILER_OPTIONS": "",
        "RJK_INIT_SCRIPT": "",
        "RJK_TIMEOUT_MILLIS": "-1",
        "DJL_OFFLINE": "true",
        "OPT_OUT_TRACKING": "true",
        "MALLOC_ARENA_MAX": "1",
        "MALLOC_MMAP_THRESHOLD_": "268435456",
        "MALLOC_TRIM_THRESHOLD_": "268435456",
    },
}
with open(path, "w") as out:
    json.dump(spec, out, indent=2)
    out.write("\n")
PY

"$JUPYTER_PYTHON" -m jupyter kernelspec install "$spec_dir" --name "$KERNEL_NAME" "$scope" --replace
echo "Installed kernel '$KERNEL_NAME' (rapaio-jupyter-kernel $RJK_VERSION on $java_bin, Java $java_major)."
echo "Next: notebooks/build-lib.sh fills notebooks/lib with the project's jars."

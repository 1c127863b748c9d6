#!/usr/bin/env bash
# Fills notebooks/lib with the project's jars and their runtime dependencies, which every notebook
# adds to its class path with "%jar lib". Run it again after changing the Java sources.
# Works offline once ~/.m2 holds the dependencies (after any earlier build of the project).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lib="$root/notebooks/lib"

rm -rf "$lib"
# One Maven command: build examples and the modules it needs, then copy every runtime dependency
# (core, datasets, DJL, the PyTorch natives jar, XChart, ...) into notebooks/lib.
(cd "$root" && mvn -B -q -Dstyle.color=never -pl examples -am package dependency:copy-dependencies \
  -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -DincludeScope=runtime -DoutputDirectory="$lib")
# copy-dependencies copies what a module needs, not the module itself: add the examples jar.
find "$root/examples/target" -maxdepth 1 -name 'rosetta-dl-examples-*.jar' \
  ! -name '*-sources.jar' ! -name '*-javadoc.jar' -exec cp {} "$lib/" \;
echo "notebooks/lib: $(find "$lib" -name '*.jar' | wc -l) jars, $(du -sh "$lib" | cut -f1)"

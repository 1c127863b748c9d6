#!/usr/bin/env python3
"""Reads the JSON lines of `rosetta bench --format json` and `pytorch_bench.py --format json`
(in the order compare.sh ran them) and prints a markdown table of Java/PyTorch ratios, and, when
compare.sh ran with --library, one of the plain-JVM library path against the command line.

The k-th Java run of a (model, threads) pair is set against the k-th PyTorch run of that pair
(one round); each column shows the median over rounds, and the ratio column the median of the
per-round ratios with their range. Standard library only.

    python3 bench/ratio_table.py results.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict


def load(lines):
    runs = defaultdict(lambda: {"java": [], "pytorch": [], "library": []})
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            run = json.loads(line)
        except json.JSONDecodeError as e:
            sys.exit(f"line {number} is not valid JSON: {e}")
        runs[(run["model"], run["threads"])][run["side"]].append(run)
    return runs


def median(runs, key):
    return statistics.median(run[key] for run in runs)


def step_cell(runs):
    return (f"{median(runs, 'median_ms'):.3f} ({median(runs, 'p10_ms'):.3f}-"
            f"{median(runs, 'p90_ms'):.3f})")


def table(runs):
    rows = ["| model | threads | rounds | Java ms/step, median (p10-p90) | PyTorch ms/step, median (p10-p90)"
            " | Java/PyTorch, median (range) | Java img/s | PyTorch img/s | peak RSS MB, Java / PyTorch"
            " | start to first step s, Java / PyTorch |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for (model, threads), sides in sorted(runs.items()):
        java, torch = sides["java"], sides["pytorch"]
        rounds = min(len(java), len(torch))
        if rounds == 0:
            continue
        ratios = sorted(j["median_ms"] / t["median_ms"] for j, t in zip(java, torch))
        rows.append(
            f"| {model} | {threads} | {rounds} | {step_cell(java)} | {step_cell(torch)}"
            f" | **{statistics.median(ratios):.2f}** ({ratios[0]:.2f}-{ratios[-1]:.2f})"
            f" | {median(java, 'images_per_second'):,.0f} | {median(torch, 'images_per_second'):,.0f}"
            f" | {median(java, 'peak_rss_mb'):.0f} / {median(torch, 'peak_rss_mb'):.0f}"
            f" | {median(java, 'first_step_seconds'):.2f} / {median(torch, 'first_step_seconds'):.2f} |")
    library = [(key, sides) for key, sides in sorted(runs.items()) if sides["library"] and sides["java"]]
    if library:
        rows += ["", "| model | threads | rounds | library (plain JVM) ms/step | command line ms/step"
                 " | library/command line, median (range) | peak RSS MB, library / command line |",
                 "|---|---|---|---|---|---|---|"]
        for (model, threads), sides in library:
            lib, java = sides["library"], sides["java"]
            ratios = sorted(l["median_ms"] / j["median_ms"] for l, j in zip(lib, java))
            rows.append(
                f"| {model} | {threads} | {len(ratios)} | {step_cell(lib)} | {step_cell(java)}"
                f" | **{statistics.median(ratios):.2f}** ({ratios[0]:.2f}-{ratios[-1]:.2f})"
                f" | {median(lib, 'peak_rss_mb'):.0f} / {median(java, 'peak_rss_mb'):.0f} |")
    return "\n".join(rows)


def main():
    if len(sys.argv) > 2:
        sys.exit("usage: ratio_table.py [results.jsonl]  (default: standard input)")
    with (open(sys.argv[1]) if len(sys.argv) == 2 else sys.stdin) as f:
        runs = load(f)
    if not runs:
        sys.exit("no benchmark JSON lines found")
    print(table(runs))


if __name__ == "__main__":
    main()

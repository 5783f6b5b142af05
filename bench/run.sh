#!/usr/bin/env bash
# Benchmarks kubectl-ds on synthetic cluster dumps (bench/generate.py) of 100, 1,000 and 5,000 nodes:
# wall time (hyperfine), peak memory (/usr/bin/time -v) and input size, printed as a Markdown table for
# bench/RESULTS.md. Never run by `cargo test`; the generated dumps go to bench/data/ (gitignored).
#
# Needs: hyperfine (Debian/Ubuntu: `sudo apt-get install hyperfine`; or `cargo install hyperfine`),
#        GNU time at /usr/bin/time (Debian: `sudo apt-get install time`), python3 (+ python3-yaml for YAML).
#
# Usage: bench/run.sh                       # all sizes and formats
#        SIZES="100 1000" bench/run.sh      # a subset
#        FORMATS=json bench/run.sh
#        RUNS=3 bench/run.sh                # hyperfine runs per command (default: 10, 5, 3 by size)
#        BIN=path/to/kubectl-ds COMMIT=abc1234 bench/run.sh  # measure another build (skips cargo build)
set -euo pipefail

cd "$(dirname "$0")/.."
DATA=bench/data
SIZES=${SIZES:-"100 1000 5000"}
FORMATS=${FORMATS:-"json yaml"}
# YAML is only generated up to this size: kubectl users with bigger clusters are told to use -o json.
YAML_MAX=${YAML_MAX:-1000}

for tool in hyperfine /usr/bin/time python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "missing $tool: on Debian/Ubuntu run: sudo apt-get install hyperfine time python3 python3-yaml" >&2
        exit 1
    fi
done

if [[ -z "${BIN:-}" ]]; then
    cargo build --release --quiet
    BIN=target/release/kubectl-ds
fi
mkdir -p "$DATA"

# Which DaemonSet `why` judges: ceph-agent has Pending pods on packed nodes, the costliest path
# (scheduler filters, resource fit against every pod on the node, events).
WHY_DS=${WHY_DS:-ceph-agent}
WHY_NS=${WHY_NS:-storage}

runs_for() {
    if [[ -n "${RUNS:-}" ]]; then echo "$RUNS"; return; fi
    case $1 in
        100) echo 10 ;;
        1000) echo 5 ;;
        *) echo 3 ;;
    esac
}

human() { numfmt --to=iec --suffix=B --format=%.1f "$1"; }

cores=$(nproc)
# COMMIT: what BIN was built from, when it is not the working tree (e.g. a saved build of an older commit).
COMMIT=${COMMIT:-$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock || echo '+uncommitted')}
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); commit: $COMMIT; binary: \`$BIN\`"
echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $cores cores, $(free -g | awk '/^Mem:/ {print $2}') GB RAM, $(uname -sr)"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: figures are ±10%)"
echo "- hyperfine: 1 warm-up run (the dump is in the page cache), output through a pipe; max RSS from /usr/bin/time -v"
echo
echo "| input | size | command | wall time (mean ± σ) | max RSS |"
echo "|---|---:|---|---:|---:|"
for n in $SIZES; do
    for fmt in $FORMATS; do
        if [[ $fmt == yaml && $n -gt $YAML_MAX ]]; then continue; fi
        file=$DATA/cluster-$n.$fmt
        if [[ ! -s $file ]]; then
            echo "generating $file ..." >&2
            python3 bench/generate.py --nodes "$n" --format "$fmt" -o "$file"
        fi
        size=$(stat -c %s "$file")
        runs=$(runs_for "$n")
        declare -a names=("why $WHY_DS -o json" "coverage -A" "coverage -A --nodes")
        declare -a cmds=(
            "$BIN why $WHY_DS -n $WHY_NS -f $file -o json"
            "$BIN coverage -A -f $file"
            "$BIN coverage -A --nodes -f $file"
        )
        for i in "${!cmds[@]}"; do
            cmd=${cmds[$i]}
            # A command that fails would be timed as fast: check it once first.
            if ! $cmd >/dev/null 2>"$DATA/stderr.txt"; then
                echo "FAILED: $cmd" >&2
                cat "$DATA/stderr.txt" >&2
                exit 1
            fi
            hyperfine --style none --warmup 1 --runs "$runs" --export-json "$DATA/hf.json" \
                --output pipe "$cmd" >/dev/null
            wall=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f s ± %.3f" % (r["mean"], r["stddev"] or 0))' "$DATA/hf.json")
            rss_kb=$(/usr/bin/time -v $cmd 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')
            echo "| $n nodes, $fmt | $(human "$size") | \`${names[$i]}\` | $wall | $(human $((rss_kb * 1024))) |"
        done
    done
done
echo
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

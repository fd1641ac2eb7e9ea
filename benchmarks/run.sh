#!/usr/bin/env bash
# Runs every benchmark and writes benchmarks/RESULTS.md.
#
#   benchmarks/run.sh            (from anywhere; takes about 12 minutes on 2 cores)
#
# 1. builds the benchmarks jar with ../mvnw;
# 2. finds a python3 with httpx, installing Debian's python3-httpx with apt-get when none has it
#    (the Python rows are left out, with a note, when that fails);
# 3. runs the JMH read-path benchmarks;
# 4. starts one StubConfigServer on loopback and runs the Java end-to-end measurements and the
#    Python client of record against it;
# 5. writes RESULTS.md from the measurement files (target/results/*.json) and the machine's
#    description. No number is typed by hand.
#
# JMH_OPTS overrides the JMH options (default: -wi 2 -i 5 -f 2 -w 1s -r 1s: two forks, as a fork's
# placement in memory moves a lookup at 100,000 skills by more than its iterations differ).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
OUT="$HERE/target/results"
JAR="$HERE/target/benchmarks.jar"
JMH_OPTS="${JMH_OPTS:--wi 2 -i 5 -f 2 -w 1s -r 1s}"

step() {
	echo "== $(date -u +%H:%M:%S) $*" >&2
}

step "Building the benchmarks"
(cd "$ROOT" && ./mvnw -B -q -pl benchmarks -am package -DskipTests)
rm -rf "$OUT"
mkdir -p "$OUT"

step "Looking for python3 with httpx"
PYTHON=""
for candidate in /usr/bin/python3 python3; do
	if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import httpx' >/dev/null 2>&1; then
		PYTHON="$(command -v "$candidate")"
		break
	fi
done
if [ -z "$PYTHON" ] && command -v apt-get >/dev/null 2>&1; then
	step "Installing python3-httpx with apt-get"
	if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-httpx) >"$OUT/apt.log" 2>&1 \
			&& /usr/bin/python3 -c 'import httpx' >/dev/null 2>&1; then
		PYTHON=/usr/bin/python3
	fi
fi
PYTHON_NOTE=""
if [ -z "$PYTHON" ]; then
	PYTHON_NOTE="no python3 with httpx was found and apt-get could not install python3-httpx (see target/results/apt.log)"
	step "Skipping the Python rows: $PYTHON_NOTE"
fi

{
	echo "date (UTC):  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "nproc:       $(nproc)"
	echo "memory:      $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "cpu:         $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "kernel:      $(uname -sr)"
	echo "huge pages:  transparent huge pages $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo 'not available')"
	if [ -n "$PYTHON" ]; then
		echo "python:      $("$PYTHON" -c 'import sys, sqlite3, httpx; print(sys.version.split()[0], "(" + sys.executable + "), httpx", httpx.__version__ + ", sqlite", sqlite3.sqlite_version)')"
	fi
	echo "java -version:"
	java -version 2>&1 | sed 's/^/    /'
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

step "JMH: read path"
# shellcheck disable=SC2086
java -jar "$JAR" ReadPathBenchmark $JMH_OPTS -rf json -rff "$OUT/jmh.json" >"$OUT/jmh.log" 2>&1
grep -E '^(Benchmark|ReadPath)' "$OUT/jmh.log" >&2 || true

step "Starting the stub server"
java -Xmx2g -cp "$JAR" io.agentkit.sync.benchmarks.StubConfigServer >"$OUT/server.json" 2>"$OUT/server.log" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
	[ -s "$OUT/server.json" ] && break
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
	sleep 0.5
done
PORT="$(sed -E 's/.*"port": ([0-9]+).*/\1/' "$OUT/server.json")"
PROXY_PORT="$(sed -E 's/.*"proxyPort": ([0-9]+).*/\1/' "$OUT/server.json")"

step "Java end to end (server port $PORT, proxy port $PROXY_PORT)"
# A fixed heap, as a server application's is: a heap that starts at 1/64 of memory and grows moved a
# 50,000-skill load by half its time again, from one run to the next, as G1 resized it.
java -Xms2g -Xmx2g -cp "$JAR" io.agentkit.sync.benchmarks.EndToEnd --server-port "$PORT" --proxy-port "$PROXY_PORT" \
	--out "$OUT/java-e2e.json" --work "$OUT/java-work" >"$OUT/java-e2e.log" 2>&1
grep '^\[e2e\]' "$OUT/java-e2e.log" | cut -c1-200 >&2

PYTHON_ARGS=()
if [ -n "$PYTHON" ]; then
	step "Python client of record ($PYTHON)"
	if "$PYTHON" "$HERE/python/bench.py" --server-port "$PORT" --proxy-port "$PROXY_PORT" \
			--out "$OUT/python.json" --work "$OUT/python-work" >"$OUT/python.log" 2>&1; then
		PYTHON_ARGS=(--python "$OUT/python.json")
	else
		PYTHON_NOTE="the Python benchmark failed (see target/results/python.log)"
		step "Skipping the Python rows: $PYTHON_NOTE"
	fi
fi
[ -n "$PYTHON_NOTE" ] && PYTHON_ARGS+=(--python-note "$PYTHON_NOTE")

kill "$SERVER_PID" 2>/dev/null || true

step "Writing RESULTS.md"
java -cp "$JAR" io.agentkit.sync.benchmarks.Report --jmh "$OUT/jmh.json" --java "$OUT/java-e2e.json" \
	"${PYTHON_ARGS[@]}" --machine "$OUT/machine.txt" --out "$HERE/RESULTS.md" >/dev/null
step "Done: $HERE/RESULTS.md"

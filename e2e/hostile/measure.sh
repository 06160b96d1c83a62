#!/bin/sh
# measure.sh BINARY DIR [CASE...]: scans each case that TestWrite wrote under DIR
# (go test ./e2e/hostile -run TestWrite -write DIR) with BINARY in the text, JSON and SARIF
# formats, one run each, and prints wall seconds, CPU seconds, peak memory, the exit code
# and whether the neighbour's finding is in the report. A run is killed after 120 s.
set -u
bin=$1 dir=$2
shift 2
[ $# -gt 0 ] || set -- $(ls "$dir")
out=$(mktemp) tv=$(mktemp)
trap 'rm -f "$out" "$tv"' EXIT
printf '%-20s %-6s %8s %8s %9s %5s %s\n' case format wall_s cpu_s peak_MiB exit neighbour
for c in "$@"; do
	for f in text json sarif; do
		/usr/bin/time -v -o "$tv" timeout 120 "$bin" scan --color never -f "$f" "$dir/$c" >"$out" 2>/dev/null
		rc=$?
		wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tv" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
		cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$tv")
		rss=$(awk -F': ' '/Maximum resident/ { printf "%d", $2 / 1024 }' "$tv")
		if grep -q 'neighbour' "$out" && grep -q 'AWS-S3-001' "$out"; then n=yes; else n=NO; fi
		printf '%-20s %-6s %8s %8s %9s %5s %s\n' "$c" "$f" "$wall" "$cpu" "$rss" "$rc" "$n"
	done
done

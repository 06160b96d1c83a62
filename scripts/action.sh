#!/usr/bin/env bash
# The shell steps of the iacscan GitHub Action (action.yml). Keeping them in a script, with
# every input passed in the environment, means no input is ever pasted into shell text and
# the steps can be run and tested outside GitHub with a simulated runner environment.
#
#   action.sh build   build cmd/iacscan from the action's own checkout into $RUNNER_TEMP
#                     and write its path to the step output "bin"
#   action.sh scan    run $IACSCAN_BIN on $INPUT_PATH in $GITHUB_WORKSPACE, print the
#                     annotations, append the job summary, write the outputs "sarif-file",
#                     "findings" and "exit-code", and exit as the inputs ask
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
  echo "::error title=iacscan action::$*"
  exit 2
}

# bool_input NAME VALUE: GitHub passes booleans as strings; anything but "true" or "false"
# is a mistake to report, not a value to guess at (a non-empty "false" must not mean true).
bool_input() {
  case "$2" in
    true | false) ;;
    *) die "input $1 must be 'true' or 'false', got '$2'" ;;
  esac
}

build() {
  : "${RUNNER_TEMP:?RUNNER_TEMP is not set}" "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
  local out="$RUNNER_TEMP/iacscan-bin" ldflags=""
  # A release tag of the action is the scanner's version (SARIF semanticVersion); a branch
  # or commit builds as "dev".
  if [[ "${ACTION_REF:-}" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$ ]]; then
    ldflags="-X main.version=${ACTION_REF#v}"
  fi
  (cd "$root" && go build -trimpath -ldflags "$ldflags" -o "$out/" ./cmd/iacscan)
  echo "bin=$out/iacscan" >>"$GITHUB_OUTPUT"
}

scan() {
  : "${IACSCAN_BIN:?IACSCAN_BIN is not set}" "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
  local path="${INPUT_PATH:-.}" fail_on="${INPUT_FAIL_ON:-low}" soft_fail="${INPUT_SOFT_FAIL:-false}"
  local sarif="${INPUT_SARIF_FILE-iacscan.sarif}" annotations="${INPUT_ANNOTATIONS:-true}"
  local summary="${INPUT_JOB_SUMMARY:-true}"
  bool_input soft-fail "$soft_fail"
  bool_input upload-sarif "${INPUT_UPLOAD_SARIF:-true}" # the upload is action.yml's next step
  bool_input annotations "$annotations"
  bool_input job-summary "$summary"
  cd "${GITHUB_WORKSPACE:-.}" # SARIF URIs are relative to the repository root

  # Global, not local: the EXIT trap runs after scan has returned.
  tmp="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/iacscan.XXXXXX")"
  trap 'rm -rf -- "$tmp"' EXIT

  # -q: the reports written to files need no "wrote ..." lines in the log.
  local args=(scan -q --fail-on "$fail_on" --format "json=$tmp/report.json")
  [[ -n "${INPUT_CONFIG:-}" ]] && args+=(--config "$INPUT_CONFIG")
  if [[ -n "$sarif" ]]; then
    mkdir -p "$(dirname "$sarif")"
    args+=(--format "sarif=$sarif")
  fi
  [[ "$annotations" == true ]] && args+=(--format "github=$tmp/annotations.txt")
  [[ "$summary" == true ]] && args+=(--format "markdown=$tmp/summary.md")
  [[ -n "${INPUT_FORMAT:-}" ]] && args+=(--format "$INPUT_FORMAT")
  local extra=()
  # Split the args input on whitespace without glob expansion or any other evaluation.
  read -r -a extra <<<"${INPUT_ARGS:-}"
  args+=(${extra[@]+"${extra[@]}"} -- "$path")

  local code=0
  "$IACSCAN_BIN" "${args[@]}" || code=$?

  [[ -f "$tmp/annotations.txt" ]] && cat "$tmp/annotations.txt"
  if [[ -f "$tmp/summary.md" && -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    cat "$tmp/summary.md" >>"$GITHUB_STEP_SUMMARY"
  fi
  [[ -f "$sarif" ]] || sarif=""
  {
    echo "sarif-file=$sarif"
    echo "findings=$(failing "$tmp/report.json" "$fail_on")"
    echo "exit-code=$code"
  } >>"$GITHUB_OUTPUT"

  if [[ "$code" == 1 && "$soft_fail" == true ]]; then
    echo "iacscan: findings at or above '$fail_on' do not fail the step (soft-fail)" >&2
    code=0
  fi
  return "$code"
}

# failing REPORT THRESHOLD prints how many findings in the JSON report are at or above the
# threshold, from its stats.findings_by_severity; nothing when there is no report.
failing() {
  [[ -f "$1" ]] || return 0
  local total=0 severity n
  for severity in critical high medium low; do
    n="$(grep -oE "\"$severity\": *[0-9]+" "$1" | tail -n 1 | grep -oE '[0-9]+$' || true)"
    total=$((total + ${n:-0}))
    [[ "$severity" == "$(tr '[:upper:]' '[:lower:]' <<<"$2")" ]] && break
  done
  echo "$total"
}

case "${1:-}" in
  build) build ;;
  scan) scan ;;
  *)
    echo "usage: $0 build|scan" >&2
    exit 2
    ;;
esac

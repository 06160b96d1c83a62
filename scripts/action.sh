#!/usr/bin/env bash
# The shell steps of the iacscan GitHub Action (action.yml). Keeping them in a script, with
# every input passed in the environment, means no input is ever pasted into shell text and
# the steps can be run and tested outside GitHub with a simulated runner environment.
#
#   action.sh install  put the iacscan of $INPUT_VERSION (empty: the action's own ref,
#                      $ACTION_REF, none for uses: ./) in the runner's tool cache and write its path to the
#                      step output "bin": the release's binary for this runner, verified
#                      against the release's SHA-256 checksums, or, when no release has
#                      that version (a branch or a commit), a build of the action's checkout
#   action.sh scan     run $IACSCAN_BIN on $INPUT_PATH in $GITHUB_WORKSPACE, print the
#                      annotations, append the job summary, write the outputs (iacscan
#                      writes the counts itself, --github-output) and exit as the inputs ask
#
# IACSCAN_RELEASE_URL replaces https://github.com/<action repository>/releases/download,
# for a mirror (GitHub Enterprise Server) or the tests.
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

# release_tag: a version that names a release, "v1.2.3" or "v1.2.3-rc.1".
release_tag='^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'

install() {
  : "${RUNNER_TEMP:?RUNNER_TEMP is not set}" "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
  # A local action (uses: ./) has no ref: its checkout is built, as a branch is.
  local version="${INPUT_VERSION:-${ACTION_REF:-}}"
  [[ -n "$version" ]] || version=local
  local os arch exe=iacscan ext=tar.gz
  case "${RUNNER_OS:-Linux}" in
    Linux) os=linux ;;
    macOS) os=darwin ;;
    Windows) os=windows exe=iacscan.exe ext=zip ;;
    *) die "unsupported runner OS '${RUNNER_OS}'" ;;
  esac
  case "${RUNNER_ARCH:-X64}" in
    X64) arch=amd64 ;;
    ARM64) arch=arm64 ;;
    *) die "unsupported runner architecture '${RUNNER_ARCH}'" ;;
  esac
  # The tool cache keeps one directory per version and platform: a later job on the same
  # runner (or a later step) reuses it. The marker is written last, so a half-finished
  # install is never taken for a complete one.
  local cache="${RUNNER_TOOL_CACHE:-$RUNNER_TEMP}/iacscan/${version//\//_}/$arch"
  if [[ -f "$cache.complete" && -x "$cache/$exe" ]]; then
    echo "iacscan $version: from the tool cache"
  elif [[ "$version" =~ $release_tag ]] && download "$version" "iacscan_${version}_${os}_${arch}.$ext" "$cache"; then
    echo "iacscan $version: the release binary for $os/$arch, checksum verified"
    touch "$cache.complete"
  else
    build "$version" "$cache/$exe"
    [[ "$version" =~ $release_tag ]] || version="" # a branch build is not cached by name
    [[ -z "$version" ]] || touch "$cache.complete"
  fi
  echo "bin=$cache/$exe" >>"$GITHUB_OUTPUT"
}

# download VERSION ASSET DIR: fetch the release asset and the release's checksum file,
# verify the asset and unpack it into DIR. It returns 1 when the release or the asset does
# not exist (the caller builds from source instead) and stops the action on anything that
# must not be papered over: an asset that does not match its checksum, or no checksum.
download() {
  local version="$1" asset="$2" dir="$3"
  local base="${IACSCAN_RELEASE_URL:-https://github.com/${ACTION_REPOSITORY:-iacscan/iacscan}/releases/download}"
  local tmp
  tmp="$(mktemp -d "$RUNNER_TEMP/iacscan-download.XXXXXX")"
  if ! curl -fsSL --retry 3 -o "$tmp/$asset" "$base/$version/$asset"; then
    echo "::warning title=iacscan action::no release asset $asset for $version; building iacscan from the action's source"
    rm -rf -- "$tmp"
    return 1
  fi
  local sums="iacscan_${version}_checksums.txt"
  curl -fsSL --retry 3 -o "$tmp/$sums" "$base/$version/$sums" ||
    die "release $version has $asset but no $sums to verify it with"
  local want got
  want="$(awk -v a="$asset" '$2 == a || $2 == "*" a { print $1 }' "$tmp/$sums")"
  got="$(sha256 "$tmp/$asset")"
  [[ -n "$want" ]] || die "$sums of release $version lists no $asset"
  [[ "$got" == "$want" ]] || die "$asset of release $version does not match its checksum (sha256 $got, want $want)"
  rm -rf -- "$dir"
  mkdir -p "$dir"
  case "$asset" in
    *.zip) unpack_zip "$tmp/$asset" "$dir" ;;
    *) tar -xzf "$tmp/$asset" -C "$dir" ;;
  esac
  rm -rf -- "$tmp"
}

sha256() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | awk '{ print $1 }'
  else
    shasum -a 256 "$1" | awk '{ print $1 }'
  fi
}

unpack_zip() {
  if command -v unzip >/dev/null; then
    unzip -q -o "$1" -d "$2"
  else
    pwsh -NoProfile -Command 'Expand-Archive -Force -LiteralPath $args[0] -DestinationPath $args[1]' "$1" "$2"
  fi
}

# build VERSION OUT: build cmd/iacscan from the action's checkout with the Go on the
# runner. Only this command sees the settings below: the job's Go (PATH, GOROOT, GOBIN,
# GOTOOLCHAIN) stays as it was. GOTOOLCHAIN=auto fetches the Go that go.mod asks for when
# the runner's is older, into the module cache, not onto the PATH. CGO_ENABLED=0 builds
# the static binary a release is.
build() {
  local version="$1" out="$2" ldflags=""
  command -v go >/dev/null ||
    die "iacscan $version has no release binary for this runner and Go is not installed to build it: use a released version"
  [[ "$version" =~ $release_tag ]] && ldflags="-X main.version=$version"
  mkdir -p "$(dirname "$out")"
  (cd "$root" && CGO_ENABLED=0 GOTOOLCHAIN=auto GOFLAGS=-mod=readonly GOWORK=off \
    go build -ldflags "$ldflags" -o "$out" ./cmd/iacscan)
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

  # -q: the reports written to files need no "wrote ..." lines in the log. The JSON report
  # in a file means no report goes to stdout unless the format input asks for one.
  # --github-output: iacscan writes the counts outputs itself.
  local args=(scan -q --fail-on "$fail_on" --github-output "$GITHUB_OUTPUT" --format "json=$tmp/report.json")
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
    echo "exit-code=$code"
  } >>"$GITHUB_OUTPUT"

  if [[ "$code" == 1 && "$soft_fail" == true ]]; then
    echo "iacscan: findings at or above '$fail_on' do not fail the step (soft-fail)" >&2
    code=0
  fi
  return "$code"
}

case "${1:-}" in
  install) install ;;
  scan) scan ;;
  *)
    echo "usage: $0 install|scan" >&2
    exit 2
    ;;
esac

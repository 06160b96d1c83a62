#!/usr/bin/env bash
# Build the release assets of one version: static binaries (CGO off, -trimpath) for every
# target, each in an archive, and a SHA-256 checksum file over the archives.
#
#   scripts/release.sh VERSION OUTDIR
#
# VERSION is the tag as pushed ("v1.2.3"); the binaries print it with
# --version and carry it (without the "v") in their reports. TARGETS (GOOS/GOARCH pairs,
# space-separated) narrows the build; the default is every released target. Assets:
#
#   iacscan_<version>_<os>_<arch>.tar.gz   linux, darwin   (iacscan inside)
#   iacscan_<version>_<os>_<arch>.zip      windows         (iacscan.exe inside)
#   iacscan_<version>_checksums.txt        "<sha256>  <asset>" lines, as sha256sum -c reads
#
# The GitHub Action (scripts/action.sh) downloads exactly these names.
set -euo pipefail

version="${1:?usage: release.sh VERSION OUTDIR}"
out="${2:?usage: release.sh VERSION OUTDIR}"
targets="${TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

case "$version" in
  v[0-9]*) ;;
  *) echo "release.sh: VERSION must be a tag such as v1.2.3, got '$version'" >&2; exit 2 ;;
esac

mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf -- "$stage"' EXIT

assets=()
for target in $targets; do
  goos="${target%/*}" goarch="${target#*/}"
  exe=iacscan
  [[ "$goos" == windows ]] && exe=iacscan.exe
  dir="$stage/${goos}_${goarch}"
  mkdir -p "$dir"
  (cd "$root" && CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" go build -trimpath \
    -ldflags "-s -w -X main.version=$version" -o "$dir/$exe" ./cmd/iacscan)
  cp "$root/LICENSE" "$root/README.md" "$root/CHANGELOG.md" "$dir/"
  name="iacscan_${version}_${goos}_${goarch}"
  if [[ "$goos" == windows ]]; then
    (cd "$dir" && zip -q -X "$out/$name.zip" "$exe" LICENSE README.md CHANGELOG.md)
    assets+=("$name.zip")
  else
    tar -C "$dir" -czf "$out/$name.tar.gz" "$exe" LICENSE README.md CHANGELOG.md
    assets+=("$name.tar.gz")
  fi
done

(cd "$out" && sha256sum "${assets[@]}" >"iacscan_${version}_checksums.txt")
echo "release.sh: ${#assets[@]} archives and iacscan_${version}_checksums.txt in $out"

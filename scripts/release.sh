#!/usr/bin/env bash
# Builds the release archives of kubectl-ds and the filled krew manifest.
#
#   scripts/release.sh [build] [--target TRIPLE]... [--no-check]
#       Builds each target (default: this machine's) with Cargo's `dist` profile (release plus LTO),
#       packs dist/kubectl-ds_<version>_<os>_<arch>.tar.gz (.zip for Windows) holding the binary,
#       LICENSE, README.md, man/ and completions/, then writes the manifest as `manifest --partial`
#       does. Unless --no-check, first runs the tests that fail when the committed completion scripts,
#       man pages or krew manifest drift from the CLI.
#   scripts/release.sh manifest [--partial]
#       Writes dist/krew-manifest.yaml: krew-manifest.yaml with each platform's sha256 set to the sha256
#       of the archive its uri names, read from dist/. Fails if one is missing, unless --partial, which
#       leaves that platform's template value (and says so).
#
# The version is Cargo.toml's, as v<version>; krew-manifest.yaml must already carry it (a test checks).
# DIST overrides the output directory (default: dist/ in the repository).
#
# Cross targets: every platform krew-manifest.yaml lists needs its archive before publishing:
#   x86_64-unknown-linux-musl   -> linux/amd64     aarch64-unknown-linux-musl -> linux/arm64
#   x86_64-apple-darwin         -> darwin/amd64    aarch64-apple-darwin       -> darwin/arm64
#   x86_64-pc-windows-msvc      -> windows/amd64   (the -gnu triples map the same way)
# Each needs `rustup target add TRIPLE` and a linker for it (build the Apple targets on macOS, the
# Windows one on Windows or with mingw-w64 for x86_64-pc-windows-gnu), or build on one machine per
# platform, copy every archive into dist/, and run `scripts/release.sh manifest` once at the end.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="${DIST:-$root/dist}"
manifest_in="$root/krew-manifest.yaml"
manifest_out="$dist/krew-manifest.yaml"

die() { echo "release.sh: $*" >&2; exit 1; }

cargo_version() {
    sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    else
        shasum -a 256 "$1" | cut -d ' ' -f 1
    fi
}

# Rust target triple -> krew's os/arch (Go's GOOS/GOARCH names).
os_arch() {
    case "$1" in
        x86_64-unknown-linux-*) echo "linux amd64" ;;
        aarch64-unknown-linux-*) echo "linux arm64" ;;
        x86_64-apple-darwin) echo "darwin amd64" ;;
        aarch64-apple-darwin) echo "darwin arm64" ;;
        x86_64-pc-windows-*) echo "windows amd64" ;;
        *) return 1 ;;
    esac
}

write_manifest() {
    local partial="$1" version
    version="v$(cargo_version)"
    grep -q "^  version: $version\$" "$manifest_in" ||
        die "krew-manifest.yaml does not carry version $version (Cargo.toml's): update it"
    mkdir -p "$dist"
    # Each platform's uri comes before its sha256 (krew-manifest.yaml keeps that order): remember the
    # archive the uri names, and put its digest on the sha256 line that follows.
    local tmp="$manifest_out.tmp" line archive="" missing=0 header=1
    # The template's header comment describes the template; the filled copy says what it is instead.
    printf '# krew plugin manifest for kubectl ds %s, filled by scripts/release.sh (submit as plugins/ds.yaml).\n' \
        "$version" >"$tmp"
    while IFS= read -r line || [[ -n "$line" ]]; do
        if [[ "$header" == 1 && ( "$line" == "#"* || -z "$line" ) ]]; then
            continue
        fi
        header=0
        if [[ "$line" =~ ^[[:space:]]*uri:[[:space:]]*([^[:space:]]+) ]]; then
            archive="${BASH_REMATCH[1]##*/}"
        elif [[ "$line" =~ ^([[:space:]]*)sha256:[[:space:]]* ]]; then
            local indent="${BASH_REMATCH[1]}"
            [[ -n "$archive" ]] || die "a sha256 line comes before any uri in krew-manifest.yaml"
            if [[ -f "$dist/$archive" ]]; then
                line="${indent}sha256: $(sha256_of "$dist/$archive")"
            elif [[ "$partial" == 1 ]]; then
                echo "release.sh: $archive not in $dist: its sha256 keeps the template value" >&2
            else
                echo "release.sh: $archive not in $dist" >&2
                missing=1
            fi
            archive=""
        fi
        printf '%s\n' "$line" >>"$tmp"
    done <"$manifest_in"
    if [[ "$missing" == 1 ]]; then
        rm -f "$tmp"
        die "build or copy the missing archives into $dist (or pass --partial)"
    fi
    mv "$tmp" "$manifest_out"
    echo "wrote $manifest_out"
}

build() {
    local version target pair os arch exe stage name
    version="v$(cargo_version)"
    local targets=("$@")
    if [[ ${#targets[@]} -eq 0 ]]; then
        targets=("$(rustc -vV | sed -n 's/^host: //p')")
    fi
    for target in "${targets[@]}"; do
        pair="$(os_arch "$target")" || die "no krew platform for target $target"
        read -r os arch <<<"$pair"
        exe=kubectl-ds
        [[ "$os" == windows ]] && exe=kubectl-ds.exe
        echo "building $target ($os/$arch)"
        (cd "$root" && cargo build --profile dist --locked --target "$target")
        name="kubectl-ds_${version}_${os}_${arch}"
        stage="$dist/stage/$name"
        rm -rf "$stage"
        mkdir -p "$stage/man" "$stage/completions"
        cp "$root/target/$target/dist/$exe" "$stage/"
        cp "$root/LICENSE" "$root/README.md" "$stage/"
        cp "$root"/man/*.1 "$stage/man/"
        cp -p "$root"/completions/* "$stage/completions/"
        if [[ "$os" == windows ]]; then
            rm -f "$dist/$name.zip"
            (cd "$stage" && zip -qr "$dist/$name.zip" .)
            echo "packed $dist/$name.zip"
        else
            # Files at the archive's root, as krew-manifest.yaml's `files` expect them.
            (cd "$stage" && tar -czf "$dist/$name.tar.gz" *)
            echo "packed $dist/$name.tar.gz"
        fi
    done
    rm -rf "$dist/stage"
}

mode=build
if [[ $# -gt 0 && ( "$1" == build || "$1" == manifest ) ]]; then
    mode="$1"
    shift
fi
targets=()
partial=0
check=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --target) [[ $# -ge 2 ]] || die "--target needs a triple"; targets+=("$2"); shift 2 ;;
        --partial) partial=1; shift ;;
        --no-check) check=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done

case "$mode" in
    manifest)
        write_manifest "$partial"
        ;;
    build)
        if [[ "$check" == 1 ]]; then
            (cd "$root" && cargo test --locked --test it -- plugin::generated plugin::krew)
        fi
        mkdir -p "$dist"
        build "${targets[@]}"
        write_manifest 1
        ;;
esac

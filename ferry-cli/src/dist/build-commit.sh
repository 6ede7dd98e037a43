#!/bin/sh
# Writes commit=<short hash>[-dirty] of the checkout this file is in to $1; commit=unknown outside a git checkout.
set -u
dir=$(dirname "$0")
commit=$(git -C "$dir" rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
if [ "$commit" != unknown ]; then
  git -C "$dir" update-index -q --refresh >/dev/null 2>&1
  git -C "$dir" diff-index --quiet HEAD -- >/dev/null 2>&1 || commit="$commit-dirty"
fi
mkdir -p "$(dirname "$1")"
printf 'commit=%s\n' "$commit" >"$1"

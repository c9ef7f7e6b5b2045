#!/usr/bin/env bash
# Stages, here on the development machine, what the GPU benchmark calls carry to the device (git-ignored .carry/).
# One call may upload 64 MiB with the tree (about 1 MB), so each call names only the folders it needs in `carry`:
#   gpu_datafree.sh ...            carry [".carry/test", ".carry/teachers", ".carry/env"]   58 MB
#   gpu_kd_online.sh online ...    carry [".carry/data", ".carry/env"]                      65 MB (decodes into .cache)
#   gpu_kd_online.sh kd|ablation   carry [".carry/teachers", ".carry/env"]                  47 MB
# Folders a call does not name stay on a warm machine, so the kd call finds the zips and decode of the online call.
# .carry/env holds the pure-Python fastcore wheel that the device image lacks and the commit staged (the device gets
# the working tree without .git, so the records take their commit from it; see benchmarks/device_env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
rm -rf .carry && mkdir -p .carry/{test,data,teachers,env}
cp "$SHARED"/data/cifar10-jpeg-test.zip .carry/test/
cp "$SHARED"/data/cifar10-jpeg-{train,test}.zip .carry/data/
cp "$SHARED"/teachers/cifar10_{resnet34,wrn40_2}.pt .carry/teachers/
python3 -m pip download -q --no-deps --only-binary=:all: -d .carry/env \
  "fastcore==$(sed -n 's/.*fastcore==\([0-9.]*\).*/\1/p' settings.ini)"   # the version settings.ini pins
commit=$(git rev-parse --short HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] || { commit=$commit-dirty; echo "warning: uncommitted changes; records will say $commit" >&2; }
echo "$commit" > .carry/env/COMMIT
du -sh .carry/*

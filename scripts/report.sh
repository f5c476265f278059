#!/usr/bin/env bash
# Build the lecture report: `bash scripts/report.sh [--seed N ...]`.
# Sets up the environment on first use (see scripts/bootstrap.sh), then runs
# `tinygrad-init report --out report` from the repository root; extra arguments are
# passed on (a later --out wins).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
tgi_bootstrap ""
cd "$TGI_ROOT"
exec "$TGI_VENV/bin/tinygrad-init" report --out report "$@"

#!/usr/bin/env bash
# Build the lecture report: `bash scripts/report.sh [--seed N ...]`.
# Sets up the environment on first use (see scripts/bootstrap.sh), then runs
# `tinygrad-init report --out <repository>/report`; extra arguments are passed on
# (a later --out wins, and a relative one is taken from where you are).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
tgi_bootstrap ""
exec "$TGI_VENV/bin/tinygrad-init" report --out "$TGI_ROOT/report" "$@"

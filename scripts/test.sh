#!/usr/bin/env bash
# Run the whole test suite: `bash scripts/test.sh [pytest arguments]`.
# Sets up the environment on first use (see scripts/bootstrap.sh; torch==2.13.0 is added
# when CI=true or TINYGRAD_INIT_TORCH=1), then runs pytest from the repository root (a test
# file is taken from where you are, or else from the root).
# Examples:  bash scripts/test.sh tests/nn/test_data.py      bash scripts/test.sh -k moons -x
# Without arguments (the whole suite) it runs in two processes (pytest-xdist) where there are two cores, with
# `--dist loadgroup`: tests marked `@pytest.mark.xdist_group(name)` share a process (and the runs they cache).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
tgi_bootstrap test
args=()   # a test path given from where you are (cd tests; test.sh cli/test_cli.py::test_x) as well as from the root
for a in "$@"; do
    case "${a%%::*}" in /*) ;; *.py) [ -f "${a%%::*}" ] && [ ! -e "$TGI_ROOT/${a%%::*}" ] && a="$PWD/$a" ;; esac
    args+=("$a")
done
set -- ${args[@]+"${args[@]}"}
cd "$TGI_ROOT"
[ $# -gt 0 ] || [ "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)" -lt 2 ] || set -- -n 2 --dist loadgroup
exec "$TGI_VENV/bin/python" -m pytest -q -ra "$@"

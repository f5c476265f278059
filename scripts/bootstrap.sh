# shellcheck shell=bash
# Set-up shared by scripts/report.sh and scripts/test.sh. Source it, then call
#
#     tgi_bootstrap ""        # the package alone
#     tgi_bootstrap test      # the package with the test extras
#
# It creates the virtual environment if missing, installs the package into it in
# editable mode (skipped when pyproject.toml has not changed since the last install),
# and installs the Graphviz `dot` binary if it is missing. It prints nothing unless
# something needs your attention.
#
# Environment variables:
#   TINYGRAD_INIT_VENV    where the virtual environment lives (default: <repo>/.venv)
#   TINYGRAD_INIT_TORCH=1 with `test`, also install torch==2.13.0 (so does CI=true)
#   PYTHON                the interpreter to create the environment with (default: the
#                         first of python3, python3.13 ... python3.10 that is >= 3.10)

TGI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TGI_VENV="${TINYGRAD_INIT_VENV:-$TGI_ROOT/.venv}"
case "$TGI_VENV" in /*) ;; *) TGI_VENV="$PWD/$TGI_VENV" ;; esac   # the scripts cd to the root
TGI_TORCH="torch==2.13.0"   # the one version the project tests against; never another

tgi_say() { printf 'tinygrad-init setup: %s\n' "$*" >&2; }
tgi_die() { tgi_say "ERROR: $*"; exit 1; }

# Run a command as root: directly, or through `sudo -n` (never asks for a password).
tgi_as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 1
    fi
}

tgi_can_be_root() {
    [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}

# apt-get install, updating the package lists first if the plain install fails.
tgi_apt_install() {
    local log="$1"; shift
    export DEBIAN_FRONTEND=noninteractive
    tgi_as_root apt-get install -y -q "$@" >>"$log" 2>&1 && return 0
    tgi_as_root apt-get update -q >>"$log" 2>&1 || return 1
    tgi_as_root apt-get install -y -q "$@" >>"$log" 2>&1
}

tgi_find_python() {
    local py
    if [ -n "${PYTHON:-}" ]; then set -- "$PYTHON"; else   # one path, spaces and all
        set -- python3 python3.13 python3.12 python3.11 python3.10 python
    fi
    for py in "$@"; do
        if command -v "$py" >/dev/null 2>&1 &&
           "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
            command -v "$py"
            return 0
        fi
    done
    return 1
}

tgi_make_venv() {
    local py log ver ours made="" hint="" debian="" traps
    # (a link to a Python since removed, by `brew upgrade` or `pyenv uninstall`, is no -x: named here too, for `venv`
    # over it leaves the link, or fails as if Debian's venv module were missing)
    if [ -x "$TGI_VENV/bin/python" ] || [ -L "$TGI_VENV/bin/python" ]; then
        "$TGI_VENV/bin/python" -c 'import sys, importlib.util as u
sys.exit(sys.version_info < (3, 10) or u.find_spec("pip") is None)' 2>/dev/null && return 0
        ver="$("$TGI_VENV/bin/python" -V 2>&1)" || ver="a Python that does not run (is the one it was made with gone?)"
        tgi_die "the virtual environment $TGI_VENV has $ver, but tinygrad_init needs Python >= 3.10 with pip \
(a set-up that was interrupted leaves none). Remove it (rm -rf '$TGI_VENV') to have it made anew, or set \
TINYGRAD_INIT_VENV to another folder"
    fi
    py="$(tgi_find_python)" || tgi_die "Python >= 3.10 is required, but none was found \
(tried: ${PYTHON:-python3 python3.13 python3.12 python3.11 python3.10 python}). \
Install it (Debian/Ubuntu: apt-get install python3 python3-venv; macOS: brew install python) \
or point PYTHON at one, e.g. PYTHON=/usr/local/bin/python3.12 bash scripts/test.sh"
    log="$(mktemp)"
    [ -e "$TGI_VENV" ] && ours="" || ours="$TGI_VENV"   # remove it on failure only if we made it
    # and in a folder that was there (empty, or a venv without its python), the python a failed venv leaves: later
    # runs would take it for an interrupted set-up and refuse the folder, after the user did what this run says
    [ -e "$TGI_VENV/bin/python" ] || [ -n "$ours" ] || made="$TGI_VENV/bin/python"
    tgi_say "creating the virtual environment $TGI_VENV with $py ($("$py" -c 'import platform; print(platform.python_version())'))"
    # Ctrl-C (or a kill) while venv runs leaves a python without pip, which the next run would refuse: undo it too
    traps="$(trap -p INT TERM HUP)"
    trap 'rm -rf "$ours" ${made:+"$made"} "$log"; exit 130' INT TERM HUP
    if ! "$py" -m venv "$TGI_VENV" >"$log" 2>&1; then
        # Debian and Ubuntu ship the venv module separately ("ensurepip is not available"); any other failure (a
        # folder it may not write, a full disk) is shown as it is, and nothing is installed for it
        ver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
        grep -qE "ensurepip|No module named venv" "$log" &&
            hint=". On Debian/Ubuntu install the venv module: apt-get install python$ver-venv" && debian=1
        grep -qE "Permission denied|Read-only file system" "$log" &&
            hint=": it may not write there; set TINYGRAD_INIT_VENV to a folder you can write, or fix the rights"
        rm -rf "$ours" ${made:+"$made"}
        if [ -n "$debian" ] && command -v apt-get >/dev/null 2>&1 && tgi_can_be_root &&
           { tgi_apt_install "$log" "python$ver-venv" || tgi_apt_install "$log" python3-venv; } &&
           "$py" -m venv "$TGI_VENV" >>"$log" 2>&1; then
            :
        else
            cat "$log" >&2
            rm -rf "$ours" ${made:+"$made"} "$log"
            tgi_die "could not create $TGI_VENV with $py$hint"
        fi
    fi
    trap - INT TERM HUP
    eval "$traps"   # the caller's, if it had any
    rm -f "$log"
}

# "HASH WHAT": HASH of pyproject.toml and the repository's path (an environment may be
# shared by two clones), WHAT we install; to know when pip can be skipped.
tgi_stamp_key() {
    "$TGI_VENV/bin/python" - "$TGI_ROOT" "$1" <<'PY'
import hashlib, os, sys
with open(os.path.join(sys.argv[1], "pyproject.toml"), "rb") as f:
    digest = hashlib.sha256(f.read() + b"\0" + os.fsencode(sys.argv[1])).hexdigest()
print(digest[:16] + " " + sys.argv[2])
PY
}

# Was an install covering KEY done? "H plain" is covered by any "H ..." line (every install
# includes the package), "H test" by "H test" and "H test +torch==...".
tgi_stamp_has() {
    local stamp="$1" key="$2" line prefix
    [ -f "$stamp" ] || return 1
    prefix="$key"
    [ "${key#* }" = plain ] && prefix="${key%% *} "
    while IFS= read -r line; do
        case "$line" in "$prefix"*) return 0 ;; esac
    done <"$stamp"
    return 1
}

tgi_pip_install() {
    local spec="$1"; shift    # spec: "" or "test", extra requirements follow
    local stamp="$TGI_VENV/.tinygrad_init-installed" key target log
    key="$(tgi_stamp_key "${spec:-plain}${*:+ +$*}")"
    # Skip pip when this exact install was already done with this pyproject.toml, and
    # the package is still importable from outside the repository.
    if tgi_stamp_has "$stamp" "$key" &&
       (cd / && "$TGI_VENV/bin/python" -c 'import importlib.util as u, sys; sys.exit(u.find_spec("tinygrad_init") is None)') 2>/dev/null; then
        return 0
    fi
    target="$TGI_ROOT"
    [ -n "$spec" ] && target="$TGI_ROOT[$spec]"
    log="$TGI_VENV/.tinygrad_init-pip.log"
    tgi_say "installing tinygrad_init${spec:+[$spec]}${*:+ and $*} into $TGI_VENV (pip output: $log)"
    if ! "$TGI_VENV/bin/python" -m pip install --disable-pip-version-check -q \
            -e "$target" "$@" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        local offline=""
        grep -qE "from versions: none|NewConnectionError|Network is unreachable|name resolution" "$log" &&
            offline=": it could not download a package; check the network connection (or the proxy, PIP_INDEX_URL)"
        tgi_die "pip install failed$offline (full output in $log)"
    fi
    # Keep only the entries of the current pyproject.toml, then add this one.
    local current="${key%% *}"
    : >"$stamp.tmp"
    if [ -f "$stamp" ]; then grep "^$current " "$stamp" >>"$stamp.tmp" || true; fi
    echo "$key" >>"$stamp.tmp"
    sort -u "$stamp.tmp" >"$stamp"
    rm -f "$stamp.tmp"
}

tgi_ensure_dot() {
    command -v dot >/dev/null 2>&1 && return 0
    local log
    log="$(mktemp)"
    if command -v apt-get >/dev/null 2>&1 && tgi_can_be_root; then
        tgi_say "installing the Graphviz 'dot' binary with apt-get"
        tgi_apt_install "$log" graphviz || { tail -n 20 "$log" >&2; }
    elif [ "$(uname -s)" = Darwin ] && command -v brew >/dev/null 2>&1; then
        tgi_say "installing the Graphviz 'dot' binary with brew"
        brew install graphviz >"$log" 2>&1 || { tail -n 20 "$log" >&2; }
    fi
    rm -f "$log"
    if ! command -v dot >/dev/null 2>&1; then
        local tests="; the report does not need it"   # what it means here (`spec` is tgi_bootstrap's)
        [ "${spec:-}" = test ] && tests=", and the rendering tests will be skipped; under CI=true they fail"
        tgi_say "WARNING: the Graphviz 'dot' binary is missing, so graphs cannot be rendered to \
PNG/SVG (DOT text still works$tests). \
Install it with: apt-get install graphviz (Debian/Ubuntu), brew install graphviz (macOS), \
conda install graphviz, or see https://graphviz.org/download/"
    fi
    return 0
}

# tgi_bootstrap EXTRAS -- EXTRAS is "" (the package) or "test".
tgi_bootstrap() {
    local spec="${1:-}" extra=()
    tgi_make_venv
    if [ "$spec" = test ] && { [ "${CI:-}" = true ] || [ "${TINYGRAD_INIT_TORCH:-}" = 1 ]; }; then
        extra=("$TGI_TORCH")
    fi
    tgi_pip_install "$spec" ${extra[@]+"${extra[@]}"}   # (bash 3.2-safe empty array)
    tgi_ensure_dot
}

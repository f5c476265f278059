"""The set-up shared by the README's two commands (scripts/bootstrap.sh), sourced in bash without installing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bash(script: str, cwd: Path, **env: str) -> str:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    done = subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/bootstrap.sh"; {script}'], cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_relative_venv_is_taken_from_where_the_command_was_started(tmp_path: Path) -> None:
    # the scripts cd to the repository before running the venv's programs: a relative path must not move with it
    assert _bash('echo "$TGI_VENV"', tmp_path, TINYGRAD_INIT_VENV="env") == str(tmp_path / "env")
    assert _bash('echo "$TGI_VENV"', tmp_path, TINYGRAD_INIT_VENV="/opt/env") == "/opt/env"
    assert _bash('echo "$TGI_VENV"', tmp_path) == str(ROOT / ".venv")


@pytest.mark.parametrize("kind", ["python 3.9", "no pip"])
def test_an_existing_venv_that_cannot_serve_is_named_with_what_to_do(kind: str, tmp_path: Path) -> None:
    # pip failed with "requires a different Python: 3.9.18 not in '>=3.10'", or with "No module named pip" in a venv
    # whose creation was interrupted (Ctrl-C), and left the user to find out why
    import platform

    venv = tmp_path / "old env"
    if kind == "no pip":
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    else:
        (venv / "bin").mkdir(parents=True)
        (venv / "bin" / "python").write_text('#!/bin/sh\ncase "$*" in *-V*) echo "Python 3.9.18";; *) exit 1;; esac\n')
        (venv / "bin" / "python").chmod(0o755)
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    done = subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/bootstrap.sh"; tgi_make_venv; echo went on'],
                          cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "TINYGRAD_INIT_VENV": str(venv)},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "went on" not in done.stdout
    version = "3.9.18" if kind == "python 3.9" else platform.python_version()
    assert f"the virtual environment {venv} has Python {version}, but tinygrad_init needs Python >= 3.10 with " \
        "pip" in " ".join(done.stderr.split())
    assert f"rm -rf '{venv}'" in done.stderr and "TINYGRAD_INIT_VENV" in done.stderr


def test_a_failed_venv_creation_never_deletes_a_folder_it_did_not_make(tmp_path: Path) -> None:
    # `python -m venv` fails (Debian without python3-venv): the set-up removed TINYGRAD_INIT_VENV with rm -rf, even
    # when it named a folder of the user's that was there before
    fake = tmp_path / "python3.12"
    fake.write_text('#!/bin/sh\ncase "$*" in *"-m venv"*) mkdir -p "$3"; echo "no ensurepip" >&2; exit 1;;\n'
                    '*platform*) echo 3.12.0;; *%d*) echo 3.12;; esac\nexit 0\n')
    fake.chmod(0o755)
    mine = tmp_path / "my folder"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    done = subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/bootstrap.sh"; tgi_can_be_root() {{ return 1; }}; '
                           "tgi_make_venv"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHON": str(fake), "TINYGRAD_INIT_VENV": str(mine)})
    assert done.returncode == 1 and "could not create" in done.stderr, done.stderr
    assert (mine / "notes.txt").read_text() == "keep me"
    new = tmp_path / "new env"  # one it made itself is cleaned up
    subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/bootstrap.sh"; tgi_can_be_root() {{ return 1; }}; '
                    "tgi_make_venv"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                   env={"PATH": "/usr/bin:/bin", "PYTHON": str(fake), "TINYGRAD_INIT_VENV": str(new)})
    assert not new.exists()


def test_a_failed_venv_in_a_folder_that_was_there_leaves_no_python_for_the_next_run_to_refuse(tmp_path: Path) -> None:
    # Debian's venv without its module makes bin/python and then fails on ensurepip; in a .venv folder that was there
    # (empty, or a broken one without python) that python stayed, and once the user had installed the venv module as
    # told, the next run refused the folder as "a set-up that was interrupted" and said to remove it
    fake = tmp_path / "python3.12"
    fake.write_text('#!/bin/sh\ncase "$*" in *"-m venv"*) mkdir -p "$3/bin"; printf "#!/bin/sh\\nexit 1\\n" > '
                    '"$3/bin/python"; chmod +x "$3/bin/python"; [ -e ok ] && exit 0; echo "ensurepip is not available"'
                    ' >&2; exit 1;;\n*platform*) echo 3.12.0;; *%d*) echo 3.12;; esac\nexit 0\n')
    fake.chmod(0o755)
    venv = tmp_path / "my env"
    (venv / "bin").mkdir(parents=True)
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")

    def make() -> subprocess.CompletedProcess:
        script = f'source "{ROOT}/scripts/bootstrap.sh"; tgi_can_be_root() {{ return 1; }}; tgi_make_venv; echo went on'
        return subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "PYTHON": str(fake), "TINYGRAD_INIT_VENV": str(venv)})
    done = make()
    assert done.returncode == 1 and "install the venv module: apt-get install python3.12-venv" in done.stderr
    assert venv.is_dir() and not (venv / "bin" / "python").exists(), done.stderr
    (tmp_path / "ok").touch()  # the venv module is installed now
    done = make()
    assert done.returncode == 0 and "went on" in done.stdout, done.stderr


@pytest.mark.parametrize("there", [False, True])
def test_a_venv_creation_cut_short_leaves_nothing_the_next_run_refuses(there: bool, tmp_path: Path) -> None:
    # Ctrl-C (or a kill) during "creating the virtual environment" left a python without pip, and every later run
    # stopped with "the virtual environment .venv has Python 3.x, but tinygrad_init needs Python >= 3.10 with pip ...
    # Remove it"; SIGTERM stands for SIGINT here, which a shell starting the tests in the background may ignore
    fake = tmp_path / "python3.12"  # venv makes bin/python, then the whole process group is stopped
    fake.write_text('#!/bin/sh\ncase "$*" in *"-m venv"*) mkdir -p "$3/bin"; printf "#!/bin/sh\\nexit 1\\n" > '
                    '"$3/bin/python"; chmod +x "$3/bin/python"; kill -TERM 0; sleep 30; exit 0;;\n'
                    '*platform*) echo 3.12.0;; *%d*) echo 3.12;; esac\nexit 0\n')
    fake.chmod(0o755)
    venv = tmp_path / "my env"
    if there:
        venv.mkdir()
        (venv / "notes.txt").write_text("keep me")
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    done = subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/bootstrap.sh"; tgi_make_venv; echo went on'],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60, start_new_session=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHON": str(fake), "TINYGRAD_INIT_VENV": str(venv)})
    assert done.returncode != 0 and "went on" not in done.stdout, done.stderr
    assert not (venv / "bin" / "python").exists() and venv.exists() == there, done.stderr
    assert not there or (venv / "notes.txt").read_text() == "keep me"


def test_a_venv_folder_it_may_not_write_is_named_with_what_to_do(tmp_path: Path) -> None:
    # a read-only checkout: venv's "Permission denied" was followed by "could not create .venv" and nothing to do
    fake = tmp_path / "python3.12"
    fake.write_text('#!/bin/sh\ncase "$*" in *"-m venv"*) echo "Error: [Errno 13] Permission denied: \'$3\'" >&2; '
                    'exit 1;;\n*platform*) echo 3.12.0;; *%d*) echo 3.12;; esac\nexit 0\n')
    fake.chmod(0o755)
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    done = subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/bootstrap.sh"; tgi_can_be_root() {{ return 1; }}; '
                           "tgi_make_venv"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHON": str(fake), "TINYGRAD_INIT_VENV": str(tmp_path / "v")})
    assert done.returncode == 1 and "Permission denied" in done.stderr, done.stderr
    assert f"could not create {tmp_path / 'v'} with {fake}: it may not write there; set TINYGRAD_INIT_VENV to a " \
        "folder you can write" in " ".join(done.stderr.split()), done.stderr


@pytest.mark.parametrize("spec", ["", "test"])
def test_the_missing_dot_warning_speaks_of_the_tests_only_when_setting_up_for_them(tmp_path: Path, spec: str) -> None:
    # scripts/report.sh warned that "the rendering tests will be skipped" though it runs no test
    bin_dir = tmp_path / "bin"  # the tools the check uses, and no dot, apt-get or brew
    bin_dir.mkdir()
    for tool in ("mktemp", "rm", "uname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    script = f'source "{ROOT}/scripts/bootstrap.sh"; spec={spec}; tgi_ensure_dot'
    done = subprocess.run([shutil.which("bash"), "-c", script], cwd=tmp_path, env={"PATH": str(bin_dir)},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "the Graphviz 'dot' binary is missing" in done.stderr, done.stderr
    assert ("rendering tests will be skipped" in done.stderr) == (spec == "test"), done.stderr
    # and for the report (which draws with matplotlib alone) it did not say that its pages are complete without it
    assert ("(DOT text still works; the report does not need it)" in done.stderr) == (spec == ""), done.stderr


def test_report_sh_writes_a_relative_out_where_the_user_stands_and_its_default_into_the_repository(
        tmp_path: Path) -> None:
    # `cd ~/lecture && bash ~/tinygrad_init/scripts/report.sh --out slides` wrote ~/tinygrad_init/slides and said
    # "wrote slides/report.html": the script ran the command from the repository root
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    venv = tmp_path / "env"  # set up already (its stamp), with a tinygrad-init that says where it would write
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (venv / "bin" / "tinygrad-init").write_text('#!/bin/sh\nfor a; do last="$a"; done\ncd "$(dirname "$last")" && '
                                                'echo "$(pwd -P)/$(basename "$last")"\n')
    for program in ("python", "tinygrad-init"):
        (venv / "bin" / program).chmod(0o755)
    key = _bash('tgi_stamp_key plain', tmp_path, TINYGRAD_INIT_VENV=str(venv))
    (venv / ".tinygrad_init-installed").write_text(key + "\n")
    where = tmp_path / "lecture"
    where.mkdir()
    path = f"{Path(shutil.which('dot') or '/usr/bin/dot').parent}:/usr/bin:/bin"  # dot there: nothing to install
    for args, expected in (([], ROOT / "report"), (["--out", "slides"], where / "slides")):
        done = subprocess.run(["bash", str(ROOT / "scripts" / "report.sh"), *args], cwd=where, capture_output=True,
                              text=True, timeout=60, env={"PATH": path, "TINYGRAD_INIT_VENV": str(venv)})
        assert done.returncode == 0 and done.stdout.strip() == str(expected.resolve()), done.stdout + done.stderr


_NO_VERSION = "ERROR: Could not find a version that satisfies the requirement {} (from versions: {})\n" \
              "ERROR: No matching distribution found for {}"


@pytest.mark.parametrize("said, offline", [
    (_NO_VERSION.format("numpy>=1.24", "none", "numpy>=1.24"), True),  # pip --retries 0 -q offline: nothing else
    ("WARNING: Retrying (Retry(total=4)) after connection broken by 'NewConnectionError(...: Failed to establish a new "
     "connection: [Errno -3] Temporary failure in name resolution')': /simple/numpy/", True),
    (_NO_VERSION.format("torch==2.13.0", "2.5.0, 2.6.0", "torch==2.13.0"), False),  # online: no such version here
    ("ERROR: Failed building wheel for tinygrad_init", False)])
def test_a_pip_failure_without_network_says_so(said: str, offline: bool, tmp_path: Path) -> None:
    # offline, the set-up ended in pip's "No matching distribution found for setuptools>=64" and "pip install failed",
    # which reads as a packaging problem of the project rather than a machine that cannot reach PyPI; but pip says
    # "No matching distribution" online too, of a version that has no file for this Python (its versions listed)
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    venv = tmp_path / "env"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text(f'#!/bin/sh\nif [ "$1 $2" = "-m pip" ]; then echo "{said}"; exit 1; fi\n'
                                         f'exec "{sys.executable}" "$@"\n')
    (venv / "bin" / "python").chmod(0o755)
    done = subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/bootstrap.sh"; tgi_pip_install ""; echo went on'],
                          cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "TINYGRAD_INIT_VENV": str(venv)},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "went on" not in done.stdout and said in done.stderr, done.stderr
    assert ("pip install failed: it could not download a package; check the network connection (or the proxy, "
            "PIP_INDEX_URL)" in done.stderr) == offline, done.stderr



def test_test_sh_takes_a_test_file_from_where_the_user_stands(tmp_path: Path) -> None:
    # `cd tests && bash ../scripts/test.sh cli/test_cli.py` ran pytest from the root, which found no cli/test_cli.py
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    venv = tmp_path / "env"  # set up already (its stamp), with a python whose pytest says what it was given
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text(f'#!/bin/sh\nif [ "$1 $2" = "-m pytest" ]; then pwd; shift 4; printf "%s\\n" '
                                         f'"$@"; exit 0; fi\nexec "{sys.executable}" "$@"\n')
    (venv / "bin" / "python").chmod(0o755)
    key = _bash("tgi_stamp_key test", tmp_path, TINYGRAD_INIT_VENV=str(venv))
    (venv / ".tinygrad_init-installed").write_text(key + "\n")
    path = f"{Path(shutil.which('dot') or '/usr/bin/dot').parent}:/usr/bin:/bin"  # dot there: nothing to install
    where = ROOT / "tests"
    for args, expected in ((["cli/test_cli.py::test_x", "-k", "cli"], [f"{where}/cli/test_cli.py::test_x", "-k",
                                                                        "cli"]),
                           (["tests/cli/test_cli.py", "-x"], ["tests/cli/test_cli.py", "-x"]),  # from the root
                           ([], ["-n", "2", "--dist", "loadgroup"] if (os.cpu_count() or 1) >= 2 else [])):
        done = subprocess.run(["bash", str(ROOT / "scripts" / "test.sh"), *args], cwd=where, capture_output=True,
                              text=True, timeout=60, env={"PATH": path, "TINYGRAD_INIT_VENV": str(venv)})
        assert done.returncode == 0 and done.stdout.split("\n")[:-1] == [str(ROOT), *expected], done.stderr


@pytest.mark.parametrize("root", [True, False])
def test_ci_run_stops_with_what_to_do_when_apt_get_cannot_install_what_is_missing(root: bool, tmp_path: Path) -> None:
    # apt-get failing (no network, a held lock) ended .ci/run with apt's last line and exit 100, nothing of its own
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    bin_dir, called = tmp_path / "bin", tmp_path / "apt-get was called"  # no dot, chromium, node or sudo
    bin_dir.mkdir()
    (bin_dir / "dirname").symlink_to(shutil.which("dirname"))
    (bin_dir / "id").write_text(f'#!/bin/sh\necho {0 if root else 1000}\n')
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$*" >> "{called}"\necho "E: no network" >&2\nexit 100\n')
    for tool in ("id", "apt-get"):
        (bin_dir / tool).chmod(0o755)
    done = subprocess.run([shutil.which("bash"), str(ROOT / ".ci" / "run")], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env={"PATH": str(bin_dir), "TINYGRAD_INIT_VENV": str(tmp_path / "v")})
    said = " ".join(done.stderr.split())
    assert done.returncode == 1 and ".ci/run: ERROR: could not install graphviz chromium nodejs with apt-get (see " \
        "above); install them by hand (apt-get install graphviz chromium nodejs)" in said, done.stdout + done.stderr
    assert ("E: no network" in said and called.read_text() == "update -q\n") if root else not called.exists()
    assert not (tmp_path / "v").exists()  # the tests were not started


@pytest.mark.parametrize("how", ["cut short", "failed"])
def test_a_venv_creation_cut_short_or_failed_leaves_no_log_behind(how: str, tmp_path: Path) -> None:
    # venv's output is kept in a mktemp file to show on failure; Ctrl-C (or a kill) and the failure itself left it
    fake = tmp_path / "python3.12"
    end = "kill -TERM 0; sleep 30; exit 0" if how == "cut short" else 'echo "ensurepip is not available" >&2; exit 1'
    fake.write_text(f'#!/bin/sh\ncase "$*" in *"-m venv"*) mkdir -p "$3/bin"; {end};;\n'
                    '*platform*) echo 3.12.0;; *%d*) echo 3.12;; esac\nexit 0\n')
    fake.chmod(0o755)
    (tmp_dir := tmp_path / "tmp").mkdir()
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    done = subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/bootstrap.sh"; tgi_can_be_root() {{ return 1; }}; '
                           "tgi_make_venv; echo went on"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          start_new_session=True, env={"PATH": "/usr/bin:/bin", "PYTHON": str(fake), "TMPDIR": str(
                              tmp_dir), "TINYGRAD_INIT_VENV": str(tmp_path / "v")})
    assert done.returncode != 0 and "went on" not in done.stdout, done.stderr
    assert not list(tmp_dir.iterdir()) and not (tmp_path / "v").exists(), done.stderr

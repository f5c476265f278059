"""The set-up shared by the README's two commands (scripts/bootstrap.sh), sourced in bash without installing."""

from __future__ import annotations

import shutil
import subprocess
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

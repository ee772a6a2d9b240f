"""scripts/system_deps.sh: `make run` and `make test` install missing system packages or say what to install."""

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "system_deps.sh"
BASH = shutil.which("bash")


def run_script(*args, env=None):
    return subprocess.run(  # noqa: S603 — the project's own script
        [BASH, str(SCRIPT), *args], capture_output=True, text=True, timeout=10, env=env
    )


def test_this_machine_has_every_system_package_the_tests_need():
    result = run_script("test", "--check")

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_without_root_a_missing_package_stops_at_once_with_the_command_to_install_it(tmp_path):
    # A PATH holding only bash: msgfmt (gettext) and sudo are not found, nor apt-get.
    # DATABASE_URL set: the PostgreSQL server binaries are not needed, whatever this machine has.
    (tmp_path / "bash").symlink_to(BASH)
    env = {**os.environ, "PATH": str(tmp_path), "SYSTEM_DEPS_ASSUME_NONROOT": "1", "DATABASE_URL": "postgres:///x"}

    result = run_script("run", env=env)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("Missing system packages: gettext — install them with: sudo apt-get install gettext\n")

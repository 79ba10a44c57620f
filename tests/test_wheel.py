"""What ``pip install luma-uni[mock]`` gives a user, tried from the built wheel in a fresh virtualenv (no clone, no
editable install): both commands, types that reach mypy, and the mock's pytest fixtures in a downstream project.

The wheel is built with pip (build isolation installs the pinned hatchling); the virtualenv gets the wheel with its
``mock`` extra plus mypy and pytest, all at the versions of constraints.txt, from the configured package index.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

USER_PROGRAM = """\
from luma_uni import Luma


def first_output(client: Luma) -> str:
    generation = client.generations.create(prompt="a lighthouse")
    reveal_type(generation)
    return str(generation.id)
"""

DOWNSTREAM_TEST = """\
from pathlib import Path

from luma_uni import Luma


def test_a_generation_on_the_mock(luma_mock, tmp_path: Path) -> None:
    with Luma(api_key=luma_mock.api_key, base_url=luma_mock.base_url) as client:
        generation = client.generations.create_and_wait(prompt="a lighthouse", timeout=30)
        [path] = client.generations.download(generation, tmp_path)
    assert path.read_bytes().startswith(b"\\x89PNG")
"""


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path
    workdir: Path  # outside the repository: nothing of the clone is importable from here

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_clean_env(),
            check=False,
        )


def _clean_env() -> dict[str, str]:
    """The environment without anything that could make the clone importable or pick a key up."""
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "LUMA_AGENTS_API_KEY", "LUMA_BASE_URL", "PYTEST_ADDOPTS"}
    return {name: value for name, value in os.environ.items() if name not in drop and not name.startswith("LUMA_MOCK")}


def _pip(*args: str, cwd: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_clean_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel")
    _pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(root / "dist"), str(REPO), cwd=root)
    [wheel] = (root / "dist").glob("luma_uni-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=_clean_env())
    constraints = str(REPO / "constraints.txt")
    _pip("--python", str(venv / "bin" / "python"), "install", "--quiet", "-c", constraints, f"{wheel}[mock]", "mypy",
         "pytest", cwd=root)  # fmt: skip
    workdir = root / "project"
    workdir.mkdir()
    yield Installed(wheel=wheel, bin=venv / "bin", workdir=workdir)


def test_the_wheel_holds_five_typed_packages_and_the_spec(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for package in ("luma_uni", "luma_agents_client", "luma_uni_mock", "luma_uni_checks", "luma_uni_proxy"):
        assert f"{package}/py.typed" in names
    assert "luma_uni_mock/openapi.yaml" in names
    assert not any(name.startswith(("conformance/", "tests/", "openapi.yaml")) for name in names)


def test_both_commands_answer_help(installed: Installed) -> None:
    for command in ("luma-uni", "luma-uni-mock", "luma-uni-proxy"):
        result = installed.run(command, "--help")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"usage: {command}")


def test_the_mock_command_serves_a_post(installed: Installed) -> None:
    process = subprocess.Popen(
        [str(installed.bin / "luma-uni-mock"), "--port", "0", "--log-level", "warning", "--no-access-log"],
        cwd=installed.workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_clean_env(),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Luma mock ready: base URL http://127.0.0.1:"), line + process.stderr.read()  # type: ignore[union-attr]
        base_url = line.split()[5]
        created = httpx.post(
            f"{base_url}/generations", json={"prompt": "x"}, headers={"Authorization": "Bearer luma-api-wheel"}
        )
        assert created.status_code == 201, created.text
        assert created.json()["state"] == "queued"
    finally:
        process.terminate()
        process.communicate(timeout=20)


def _started(installed: Installed, *args: str) -> tuple[subprocess.Popen[str], str]:
    """A command of the wheel started, and its first line (the ready line with the base URL)."""
    process = subprocess.Popen(
        [str(installed.bin / args[0]), *args[1:]],
        cwd=installed.workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_clean_env(),
    )
    assert process.stdout is not None
    return process, process.stdout.readline()


def test_the_proxy_command_checks_traffic_to_the_mock_command(installed: Installed) -> None:
    mock, ready = _started(installed, "luma-uni-mock", "--port", "0", "--log-level", "warning", "--no-access-log")
    try:
        mock_url = ready.split()[5]
        proxy, line = _started(installed, "luma-uni-proxy", "--upstream", mock_url, "--port", "0", "--reports", "r")
        try:
            assert line.startswith("Luma proxy ready: base URL http://127.0.0.1:"), line
            created = httpx.post(
                f"{line.split()[5]}/generations", json={"prompt": "x"}, headers={"Authorization": "Bearer luma-api-w"}
            )
            assert created.status_code == 201, created.text
        finally:
            proxy.terminate()
            out, err = proxy.communicate(timeout=30)
        assert proxy.returncode == 0, err
        assert "1 exchange(s), 0 finding(s)" in out, out
        assert (installed.workdir / "r" / "proxy-drift.md").exists()
    finally:
        mock.terminate()
        mock.communicate(timeout=20)


def test_mypy_strict_sees_the_types_of_a_user_program(installed: Installed) -> None:
    (installed.workdir / "app.py").write_text(USER_PROGRAM, encoding="utf-8")
    result = installed.run("mypy", "--strict", "--no-incremental", "app.py")
    assert 'Revealed type is "luma_agents_client.models.generation.Generation"' in result.stdout, result.stdout
    assert result.returncode == 0, result.stdout
    assert "Success: no issues found" in result.stdout


def test_a_downstream_project_gets_the_mock_fixtures(installed: Installed) -> None:
    (installed.workdir / "test_downstream.py").write_text(DOWNSTREAM_TEST, encoding="utf-8")
    result = installed.run("pytest", "-q", "-p", "no:cacheprovider", "test_downstream.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_naming_the_plugin_in_pytest_plugins_as_well_does_not_register_it_twice(installed: Installed) -> None:
    project = installed.workdir / "explicit"
    project.mkdir()
    (project / "conftest.py").write_text('pytest_plugins = ["luma_uni_mock.pytest_plugin"]\n', encoding="utf-8")
    (project / "test_fixture.py").write_text("def test_it(luma_mock_factory):\n    assert luma_mock_factory\n")
    result = installed.run("pytest", "-q", "-p", "no:cacheprovider", "explicit")
    assert result.returncode == 0, result.stdout + result.stderr

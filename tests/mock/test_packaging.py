"""The mock ships in the wheel as ``luma_uni_mock``: its code must work under that name too, and its pytest plugin,
which pytest loads in every project that installs luma-uni, must not need the ``mock`` extra's dependencies."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import conformance.mock

MOCK_DIR = Path(conformance.mock.__file__).parent
REPO_PACKAGES = ("conformance", "luma_uni", "luma_agents_client", "tests", "bench", "scripts")
SERVER_DEPENDENCIES = ("uvicorn", "jsonschema", "jsonschema_rs", "PIL", "yaml", "httptools", "uvloop")


def test_the_mock_imports_nothing_of_the_repository_by_absolute_name() -> None:
    offenders = []
    for path in sorted(MOCK_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] in REPO_PACKAGES]
    assert offenders == [], "use relative imports (from .x import y): the wheel names this package luma_uni_mock"


def test_the_pytest_plugin_loads_without_the_server_dependencies() -> None:
    blocked = "; ".join(f"sys.modules[{name!r}] = None" for name in SERVER_DEPENDENCIES)
    code = f"import sys; {blocked}; import conformance.mock.pytest_plugin"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr

"""The mock's pytest plugin, which pytest loads in every project that installs luma-uni, must not need the ``mock``
extra's dependencies."""

from __future__ import annotations

import subprocess
import sys

SERVER_DEPENDENCIES = ("uvicorn", "jsonschema", "jsonschema_rs", "PIL", "yaml", "httptools", "uvloop")


def test_the_pytest_plugin_loads_without_the_server_dependencies() -> None:
    blocked = "; ".join(f"sys.modules[{name!r}] = None" for name in SERVER_DEPENDENCIES)
    code = f"import sys; {blocked}; import luma_uni_mock.pytest_plugin"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr

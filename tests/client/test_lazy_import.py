"""``luma_uni`` imports its public names on first use (PEP 562): the three places that name them agree, and a bare
``import luma_uni`` loads neither httpx nor the generated package."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import luma_uni


def _type_checking_imports() -> dict[str, str]:
    """Each name the ``if TYPE_CHECKING:`` block of ``luma_uni/__init__.py`` imports, with its absolute module."""
    tree = ast.parse(Path(str(luma_uni.__file__)).read_text())
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    names: dict[str, str] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        base = "luma_uni" if node.level else ""
        module = ".".join(part for part in (base, node.module or "") if part)
        for alias in node.names:
            names[alias.name] = f"{module}.{alias.name}" if node.module is None else module
    return names


def test_every_public_name_is_typed_and_found_where_it_is_imported_from() -> None:
    typed = _type_checking_imports()
    assert set(typed) | {"__version__"} == set(luma_uni.__all__)
    for name, module in typed.items():
        home = importlib.import_module(module) if name == "errors" else getattr(importlib.import_module(module), name)
        assert getattr(luma_uni, name) is home, name


def test_dir_lists_every_public_name_before_it_is_used() -> None:
    assert set(luma_uni.__all__) <= set(dir(luma_uni))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Lumaa'"):
        _ = luma_uni.Lumaa  # type: ignore[attr-defined]


def test_a_bare_import_loads_neither_httpx_nor_the_generated_package() -> None:
    probe = "import sys, luma_uni; print(sorted({'httpx', 'luma_agents_client', 'attrs'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
    probe = "import sys; from luma_uni import Luma; print('httpx' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "True\n"

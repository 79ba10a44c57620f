"""The built API reference names every public class, function and method: the site is built as ``make docs``
builds it (into a temporary directory) and its ``objects.inv``, the inventory mkdocstrings writes of every object
it rendered, must hold each one. An object the loader cannot see as documented (a method made by assignment, a
public method without a docstring) is missing from both the page and the inventory."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
import typing
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import luma_uni
import luma_uni.testing

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_MODULES = (luma_uni, luma_uni.testing)

# Sphinx inventory v2: four '#' header lines, then zlib-compressed lines "name domain:role priority uri dispname".
_ENTRY = re.compile(r"(?P<name>\S+)\s+(?P<role>\S+:\S+)\s+-?\d+\s+(?P<uri>\S*)\s+.*")


def read_inventory(path: Path) -> dict[str, str]:
    """Every object of a Sphinx v2 inventory, by name: the anchor it is rendered at (``$`` in a URI is its name)."""
    version, _project, _version, _compression, body = path.read_bytes().split(b"\n", 4)
    assert version == b"# Sphinx inventory version 2", version
    anchors = {}
    for line in zlib.decompress(body).decode().splitlines():
        entry = _ENTRY.fullmatch(line)
        if entry is not None and entry["role"].startswith("py:"):
            anchors[entry["name"]] = entry["uri"].partition("#")[2].replace("$", entry["name"])
    return anchors


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    site = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return read_inventory(site / "objects.inv")


def public_objects() -> Iterator[tuple[str, object]]:
    """Each class and function the public modules export (``__all__``), by its public name."""
    for module in PUBLIC_MODULES:
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isclass(value) or inspect.isfunction(value):
                yield f"{module.__name__}.{name}", value


def public_members(cls: type) -> list[str]:
    """The methods and properties a class defines itself (an inherited one is documented at its base)."""
    kinds = (property, classmethod, staticmethod)
    return [
        name
        for name, value in vars(cls).items()
        if not name.startswith("_") and (inspect.isfunction(value) or isinstance(value, kinds))
    ]


def returned_classes(cls: type) -> Iterator[type]:
    """The classes of ours a public property returns (``with_raw_response``'s), documented beside their owner."""
    for name in public_members(cls):
        member = vars(cls)[name]
        if isinstance(member, property) and member.fget is not None:
            returned = typing.get_type_hints(member.fget, vars(sys.modules[cls.__module__])).get("return")
            if inspect.isclass(returned) and returned.__module__.startswith("luma_uni"):
                yield returned


def expected_entries() -> Iterator[tuple[str, type | None]]:
    """The inventory names to find: each public object, and each class's public members (named as the class is)."""
    for name, value in public_objects():
        yield name, value if inspect.isclass(value) else None
        if inspect.isclass(value):
            for returned in returned_classes(value):
                yield f"{returned.__module__}.{returned.__qualname__}", returned


def test_the_reference_shows_every_public_class_function_and_method(inventory: dict[str, str]) -> None:
    missing = []
    for name, cls in expected_entries():
        if name not in inventory:
            missing.append(name)
        elif cls is not None:
            anchor = inventory[name]  # a re-exported class is rendered once, where it is defined
            missing += [f"{name}.{member}" for member in public_members(cls) if f"{anchor}.{member}" not in inventory]
    assert not missing, f"not in the built API reference (undocumented, or not a real method?): {missing}"


def test_the_inventory_reader_reads_names_and_anchors(tmp_path: Path) -> None:
    lines = "luma_uni.Luma py:class 1 reference/#$ -\nluma_uni.Model py:class 2 reference/#pkg.models.Model -\n"
    header = b"# Sphinx inventory version 2\n# Project: p\n# Version: 0\n# The remainder is compressed using zlib.\n"
    (tmp_path / "objects.inv").write_bytes(header + zlib.compress(lines.encode()))
    expected = {"luma_uni.Luma": "luma_uni.Luma", "luma_uni.Model": "pkg.models.Model"}
    assert read_inventory(tmp_path / "objects.inv") == expected

"""A YAML error in openapi.yaml stops every reader with one message (file, line, column, the problem), never a
parser traceback: make generate, the conformance suite and the mock."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.spec import SPEC_PATH, SpecSyntaxError, parse_spec
from luma_uni_mock.schemas import ContractError
from luma_uni_mock.spec_facts import load_spec_facts

ROOT = Path(__file__).resolve().parent.parent


def _broken() -> tuple[str, int, int]:
    """openapi.yaml with ``type: video`` typed into the first plain one-line description: (text, line, column)."""
    lines = SPEC_PATH.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("description: ") and line[-1] != "|")
    lines[index] += " (only for type: video)"
    column = len(lines[index]) - len(": video)") + 1  # the ':' of "type: video", 1-based
    return "\n".join(lines) + "\n", index + 1, column


def test_the_message_names_file_line_column_and_problem() -> None:
    text, line, column = _broken()
    with pytest.raises(SpecSyntaxError) as raised:
        parse_spec(text, "openapi.yaml")
    first, quoted, caret, hint = str(raised.value).splitlines()
    assert first == f"openapi.yaml:{line}:{column}: not valid YAML: mapping values are not allowed in this context"
    assert quoted.strip() == text.splitlines()[line - 1].strip()
    assert caret.index("^") - 4 == column - 1 and "quote the value" in hint


def test_make_generate_prints_the_message_without_a_traceback(tmp_path: Path) -> None:
    text, line, column = _broken()
    for part in ("scripts", "conformance"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "openapi.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "scripts/generate.py"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"openapi.yaml:{line}:{column}: not valid YAML: mapping values")
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_the_mock_reports_it_too(tmp_path: Path) -> None:
    text, line, column = _broken()
    (tmp_path / "openapi.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContractError) as raised:
        load_spec_facts(tmp_path / "openapi.yaml")
    message = str(raised.value)
    assert "not valid YAML: mapping values are not allowed" in message and f"line {line}, column {column}" in message

"""mkdocs hook (mkdocs.yml ``hooks``): docs/sources.md's tables are written from openapi.yaml's ``x-source`` at
build time, so the page lists exactly the spec's facts and never a copy of them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # loaded by path by mkdocs: import the suite's helpers as conformance.*

from conformance.sources import facts, markdown_tables  # noqa: E402
from conformance.spec import load_spec  # noqa: E402

PAGE = "sources.md"
MARKER = "<!-- the x-source tables, written by scripts/docs_sources.py -->"


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"docs/{PAGE} lost its marker {MARKER!r}: the tables have nowhere to go")
    return markdown.replace(MARKER, markdown_tables(facts(load_spec())))

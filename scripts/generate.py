"""Generate the client package from openapi.yaml, byte for byte the same whoever runs it.

    python scripts/generate.py            # rewrite generated/luma_agents_client
    python scripts/generate.py --check    # regenerate into a temporary directory and diff against generated/

The generator and ruff come from the virtualenv that runs this script (pinned in constraints.txt); the
environment the generator sees is reduced to that, so the caller's PATH, ruff config or locale change nothing.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client.config import ConfigFile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: import the helper modules as scripts.*

from conformance.spec import SpecSyntaxError, parse_spec  # noqa: E402
from luma_uni_checks.spec_diff import Change  # noqa: E402
from scripts import change_report, contract_module  # noqa: E402
from scripts.enum_names import EnumNamingError, with_member_names  # noqa: E402

PACKAGE = "luma_agents_client"
TARGET = ROOT / "generated" / PACKAGE
INPUTS = ("openapi.yaml", "generator-config.yaml", "templates/")


def _isolated_env() -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    return {
        "PATH": os.pathsep.join([venv_bin, "/usr/bin", "/bin"]),
        "HOME": tempfile.gettempdir(),
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "RUFF_NO_CACHE": "true",
    }


def load_spec(path: Path) -> dict[str, Any]:
    """The parsed spec; a YAML error exits with one message (file, line, column, problem), not a traceback."""
    try:
        spec = parse_spec(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    except SpecSyntaxError as exc:
        raise SystemExit(str(exc)) from None
    if not isinstance(spec, dict):
        raise SystemExit(f"{path} is not an OpenAPI document (top level is not a mapping)")
    return spec


def _prepared_spec(spec: dict[str, Any], directory: Path) -> Path:
    """The spec the generator reads: openapi.yaml plus the derived enum member names (never written back)."""
    try:
        prepared = with_member_names(spec)
    except EnumNamingError as exc:
        raise SystemExit(str(exc)) from None
    path = directory / "openapi.prepared.yaml"
    path.write_text(yaml.safe_dump(prepared, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return path


def generate_into(directory: Path) -> Path:
    """Run the generator; return the package directory it wrote inside ``directory``."""
    out = directory / PACKAGE
    spec = load_spec(ROOT / "openapi.yaml")
    spec_path = _prepared_spec(spec, directory)
    cmd = [
        str(Path(sys.executable).parent / "openapi-python-client"),
        "generate",
        "--path",
        str(spec_path),
        "--config",
        str(ROOT / "generator-config.yaml"),
        "--custom-template-path",
        str(ROOT / "templates"),
        "--meta",
        "none",
        "--output-path",
        str(out),
        "--fail-on-warning",
    ]
    result = subprocess.run(cmd, check=False, cwd=directory, env=_isolated_env(), capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"openapi-python-client failed (exit {result.returncode})")
    # --meta none writes no py.typed; the package is typed, so say so (PEP 561).
    (out / "py.typed").write_text("")
    _write_contract_module(spec, out)
    return out


def _write_contract_module(spec: dict[str, Any], out: Path) -> None:
    try:
        field_prefix = ConfigFile.load_from_path(ROOT / "generator-config.yaml").field_prefix
        source = contract_module.render(spec, field_prefix)
    except contract_module.ContractModuleError as exc:
        raise SystemExit(str(exc)) from None
    module = out / contract_module.MODULE_NAME
    module.write_text(source, encoding="utf-8")
    # The same isolated formatting as the generator's post-hooks (generator-config.yaml).
    ruff = str(Path(sys.executable).parent / "ruff")
    for args in (
        ["check", "--isolated", "--target-version", "py311", "--select", "F401,I,UP", "--fix-only", "--quiet"],
        ["format", "--isolated", "--target-version", "py311", "--line-length", "120", "--quiet"],
    ):
        subprocess.run([ruff, *args, str(module)], check=True, cwd=out, env=_isolated_env())


def _files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _diff(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    lines: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        old, new = actual.get(name), expected.get(name)
        if old == new:
            continue
        lines.extend(
            difflib.unified_diff(
                (old or b"").decode(errors="replace").splitlines(keepends=True),
                (new or b"").decode(errors="replace").splitlines(keepends=True),
                fromfile=f"generated/{PACKAGE}/{name}" if old is not None else "/dev/null",
                tofile=f"regenerated/{PACKAGE}/{name}" if new is not None else "/dev/null",
            )
        )
    return lines


def _print_report(title: str, report: change_report.Report | None) -> None:
    print(f"\n## {title}\n")
    print(report.markdown() if report else "No git history here: nothing to compare with.")


def _unacknowledged_breaks(spec: dict[str, Any], generated: Path) -> list[Change]:
    """Breaking changes since the release baseline when the version has not been bumped since."""
    baseline = change_report.release_baseline(ROOT)
    if baseline is None or change_report.version_at(ROOT, None) != change_report.version_at(ROOT, baseline):
        return []
    report = change_report.report(ROOT, baseline, spec, generated, package=PACKAGE, label="the release baseline")
    return report.breaking_python if report else []


def main() -> int:
    try:
        return _main()
    except SpecSyntaxError as exc:  # the baseline's committed spec (the working copy's is checked in load_spec)
        raise SystemExit(str(exc)) from None


def _main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail with a diff if generated/ is stale")
    args = parser.parse_args()
    spec = load_spec(ROOT / "openapi.yaml")
    with tempfile.TemporaryDirectory(prefix="luma-generate-") as tmp:
        fresh = generate_into(Path(tmp))
        if args.check:
            diff = _diff(_files(fresh), _files(TARGET) if TARGET.exists() else {})
            if diff:
                sys.stdout.writelines(diff)
                print(f"\ngenerated/ is stale against {', '.join(INPUTS)}: run 'make generate' and commit the result.")
                return 1
            breaks = _unacknowledged_breaks(spec, fresh.parent)
            if breaks:
                print("\n".join(change.line() for change in breaks))
                version = change_report.version_at(ROOT, None)
                print(
                    f"\nBreaking change to the generated client's Python API since version {version} was released: "
                    f"bump the version in {change_report.VERSION_FILE} to acknowledge it."
                )
                return 1
            print(f"generated/{PACKAGE} is up to date.")
            return 0
        if TARGET.exists():
            shutil.rmtree(TARGET)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(fresh, TARGET)
        print(f"wrote generated/{PACKAGE} ({len(_files(TARGET))} files)")
    head = change_report.head_commit(ROOT)
    since_head = head and change_report.report(ROOT, head, spec, TARGET.parent, package=PACKAGE, label="HEAD")
    _print_report("What changed since the last commit", since_head or None)
    _update_changelog(spec)
    return 0


def _update_changelog(spec: dict[str, Any]) -> None:
    """CHANGELOG.md's generated Unreleased entries: the changes since the release baseline. A version bump not
    yet committed is the release itself, so nothing is unreleased."""
    baseline = change_report.release_baseline(ROOT)
    if baseline is None:
        return
    version = change_report.version_at(ROOT, None)
    if version != change_report.version_at(ROOT, baseline):
        section = change_report.no_change(f"release {version}")
    else:
        label = f"release {version}"
        since = change_report.report(ROOT, baseline, spec, TARGET.parent, package=PACKAGE, label=label)
        section = since.markdown() if since else change_report.no_change(label)
    change_report.write_changelog(ROOT / "CHANGELOG.md", section)
    print(f"\nCHANGELOG.md, Unreleased: {section.splitlines()[0]}")


if __name__ == "__main__":
    sys.exit(main())

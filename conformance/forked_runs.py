"""pytest runs in processes of their own, forked from one server process that imported pytest, hypothesis and
schemathesis once (multiprocessing's forkserver).

The broken-variant runs are two dozen pytest processes; a fresh interpreter spent about a second of CPU in each on
those imports alone. Each run is still a process of its own, so a variant's process-wide patch stays in it.
Third-party modules, the project's packages and the suite's support modules (all of which read the environment only
when called) are preloaded; the suite's test modules and its conftest are not: they read the environment when
imported, and every run has its own environment.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import multiprocessing.context
import os
from pathlib import Path
from typing import NoReturn

PRELOAD = [
    "pytest",
    "hypothesis",
    "schemathesis",
    "schemathesis.pytest.plugin",
    "schemathesis.specs.openapi.schemas",
    "httpx",
    "requests",
    "uvicorn",
    "yaml",
    "jsonschema_rs",
    "PIL.Image",
    "pdb",
    "xdist.plugin",
    "schemathesis.pytest.xdist",
    "anyio.pytest_plugin",
    "luma_agents_client",
    "luma_uni",
    "luma_uni_checks",
    "luma_uni_mock",
    # The suite's support modules: ~0.1 s of imports a run otherwise (its test modules and conftest.py are left out).
    "conformance.broken",
    *sorted(
        f"conformance.{path.stem}"
        for path in Path(__file__).resolve().parent.glob("*.py")
        if not path.stem.startswith("test_") and path.stem not in ("conftest", "__main__", "__init__")
    ),
]
# The preloaded plugins were imported before pytest could rewrite their asserts; that changes only their own assert
# messages, never the suite's (its modules are imported by each run).
QUIET = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
# A run's verdict is its junit report; the full collection pytest makes at its end to surface unraisable exceptions
# would cost every run a walk of everything it built.
NO_FINAL_COLLECTION = ["-p", "no:unraisableexception"]


@functools.cache
def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _pytest_main(args: list[str], env: dict[str, str], cwd: str, output: str) -> NoReturn:
    """In the forked process: this run's directory, environment and output file, then pytest."""
    # What the server preloaded is never garbage: frozen, no collection walks it (which would also copy every page
    # the fork shares with the server, the collector writing to each object's header).
    gc.freeze()
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(descriptor, 1)
    os.dup2(descriptor, 2)
    import pytest

    raise SystemExit(int(pytest.main([*args, *QUIET, *NO_FINAL_COLLECTION])))


# What multiprocessing reports when the forkserver never passed on the run's exit status (it read an end of file:
# multiprocessing/popen_forkserver.py); seen once in `make test`, on a run whose report was complete. No pytest run
# exits with it.
STATUS_LOST = 255


def run_pytest(args: list[str], *, env: dict[str, str], cwd: Path, output: Path, timeout: float) -> int | None:
    """``pytest.main(args)`` in a forked process with ``env`` as its whole environment and ``cwd`` as its directory,
    stdout and stderr into ``output``; its exit status, or None when it ran past ``timeout`` seconds (it is killed).
    A run whose status was lost runs once more."""
    code = _run_once(args, env=env, cwd=cwd, output=output, timeout=timeout)
    if code == STATUS_LOST:
        code = _run_once(args, env=env, cwd=cwd, output=output, timeout=timeout)
    return code


def _run_once(args: list[str], *, env: dict[str, str], cwd: Path, output: Path, timeout: float) -> int | None:
    process = _context().Process(target=_pytest_main, args=(args, env, str(cwd), str(output)))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return None
    return process.exitcode

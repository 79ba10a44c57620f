"""The package version, written only here: the build reads it (pyproject.toml's ``[tool.hatch.version]``), and the
package imports it without importlib.metadata's cost."""

__version__ = "0.2.0"

"""Saving a generation's outputs to files: the name, the extension (from the response's content type, else the URL's
path) and an atomic write, so a file either appears whole or not at all.

Names: ``<id>.<ext>`` for the usual single output (an image, a video), ``<id>-<n>.<ext>`` when there are several,
and ``<id>-<index>-<label>.png`` for the layers of a ``layering`` generation, so a directory listing shows their
order (front to back; the last is the background) and what each is.

Presigned output URLs expire after an hour (S3 then answers 403); the resources GET the generation again for fresh
URLs and retry once. The download request carries none of the client's default headers: the URL is a credential
of its own, and the API key must not travel to the storage host.
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import os
import posixpath
import re
import unicodedata
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import httpx
from attrs import evolve, frozen

from luma_agents_client.models import Generation, GenerationLayer, GenerationOutput

from ._polling import finished
from ._responses import connection_error, status_error
from .errors import InputError, MalformedResponseError

logger = logging.getLogger("luma_uni")

CHUNK_SIZE = 1 << 16
_ERROR_BODY_LIMIT = 64 * 1024
_SAVED_KINDS = ("image/", "video/")  # the media an output may be; anything else is not a generation's file
_LABEL_MAX = 40  # characters of a layer's label kept in its file name
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def outputs_of(generation: Generation) -> list[GenerationOutput]:
    """The outputs of a completed generation (empty while it runs or after a failure)."""
    return list(generation.output) if isinstance(generation.output, list) else []


def file_stem(generation: Generation, index: int) -> str:
    """``<id>-<index>-<label>`` for a layer (``index`` is its position, front to back, as ``layer.index`` counts),
    else ``<id>`` for the usual single output and ``<id>-<n>`` (from 1) when a generation has several."""
    outputs = outputs_of(generation)
    layer = outputs[index].layer if index < len(outputs) else None
    if isinstance(layer, GenerationLayer):
        return f"{generation.id}-{index}-{slug(layer.label)}"
    return str(generation.id) if len(outputs) <= 1 else f"{generation.id}-{index + 1}"


def slug(label: object) -> str:
    """A layer label as a file-name part safe on any filesystem: ASCII lowercase letters, digits and single hyphens
    (accents dropped, ``Sky / Clouds`` → ``sky-clouds``), at most 40 characters; ``layer`` when nothing is left."""
    text = unicodedata.normalize("NFKD", label if isinstance(label, str) else "").encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:_LABEL_MAX].rstrip("-") or "layer"


@frozen
class OutputFile:
    """One output to save: its URL, and the file's directory and name (the extension comes from the response)."""

    generation: Generation
    index: int
    url: str
    directory: Path
    stem: str


def output_files(generation: Generation, directory: str | Path) -> list[OutputFile]:
    """The files to save for a completed generation, into ``directory`` (created here if missing); raise
    :class:`~luma_uni.errors.InputError` for a generation that is still running."""
    done = finished(generation)
    if done is None:
        raise InputError(f"Generation {generation.id} is still {generation.state}; wait for it before downloading")
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    outputs = outputs_of(done)
    return [OutputFile(done, index, output.url, target, file_stem(done, index)) for index, output in enumerate(outputs)]


def refreshed(file: OutputFile, generation: Generation) -> OutputFile | None:
    """``file`` with the fresh URL of ``generation`` got again after its URL was refused (expired, say), or None
    when the generation has no such output any more (the refusal stands)."""
    fresh = outputs_of(generation)
    if file.index >= len(fresh):
        return None
    logger.info("Output URL of %s was refused (expired?); retrying with a fresh one", file.generation.id)
    return evolve(file, url=fresh[file.index].url)


def extension_for(content_type: str | None, url: str) -> str:
    """The file extension for an output: from its content type (an image or a video); for a generic one
    (``application/octet-stream``, none) from the URL's path when that names an image or video file."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type.startswith(_SAVED_KINDS):
        subtype = media_type.partition("/")[2]
        return mimetypes.guess_extension(media_type) or "." + subtype.split("+", 1)[0]
    path_extension = posixpath.splitext(urllib.parse.urlsplit(url).path)[1].lower()
    guessed, _ = mimetypes.guess_type("file" + path_extension)
    if media_type in ("", "application/octet-stream") and guessed is not None and guessed.startswith(_SAVED_KINDS):
        return path_extension
    raise MalformedResponseError(
        200, f"output {_strip_query(url)} has content type {content_type!r}, not an image or a video", body=None
    )


def download_request(url: str, timeout: httpx.Timeout) -> httpx.Request:
    """A bare GET for a presigned URL (no default headers, so no API key), with the client's timeouts."""
    return httpx.Request("GET", url, extensions={"timeout": timeout.as_dict()})


def raise_for_download_status(response: httpx.Response, body: bytes) -> None:
    """Raise the status's error (403 = expired or tampered URL) for a non-2xx download response."""
    if not response.is_success:
        error = status_error(response.status_code, body[:_ERROR_BODY_LIMIT], response.headers)
        error.response = response
        raise error


class PartialFile:
    """A temporary file beside the destination: renamed into place whole by :meth:`commit`, else removed."""

    def __init__(self, directory: Path, stem: str) -> None:
        self.path = directory / f".{stem}.{os.urandom(4).hex()}.part"
        # os.open with 0o666 honours the umask, so the result gets the permissions of any new file (mkstemp: 0600).
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        self._handle: BinaryIO = os.fdopen(fd, "wb")
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.size += self._handle.write(chunk)

    def commit(self, final: Path) -> Path:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self.path, final)
        return final

    def discard(self) -> None:
        """Close and remove the temporary file; nothing left to do after a commit."""
        self._handle.close()
        self.path.unlink(missing_ok=True)


@contextlib.contextmanager
def partial_file(directory: Path, stem: str) -> Iterator[PartialFile]:
    """A :class:`PartialFile` that is removed however the block ends (an error, Ctrl-C) unless committed."""
    partial = PartialFile(directory, stem)
    try:
        yield partial
    finally:
        partial.discard()


def save_output(http: httpx.Client, file: OutputFile, timeout: httpx.Timeout) -> Path:
    """GET one output URL into ``directory/<stem><ext>``; raise the status's error (403: expired) or a
    connection error."""
    url, directory, stem = file.url, file.directory, file.stem
    try:
        response = http.send(download_request(url, timeout), stream=True, follow_redirects=True)
        try:
            if not response.is_success:
                raise_for_download_status(response, response.read())
            with partial_file(directory, stem) as partial:
                for chunk in response.iter_bytes(CHUNK_SIZE):
                    partial.write(chunk)
                return _commit(partial, response, url, directory, stem)
        finally:
            response.close()
    except httpx.RequestError as exc:
        raise connection_error(exc, "GET", url) from exc


async def async_save_output(http: httpx.AsyncClient, file: OutputFile, timeout: httpx.Timeout) -> Path:
    """The asyncio form of :func:`save_output` (file writes are small local appends, done inline)."""
    url, directory, stem = file.url, file.directory, file.stem
    try:
        response = await http.send(download_request(url, timeout), stream=True, follow_redirects=True)
        try:
            if not response.is_success:
                raise_for_download_status(response, await response.aread())
            with partial_file(directory, stem) as partial:
                async for chunk in response.aiter_bytes(CHUNK_SIZE):
                    partial.write(chunk)
                return _commit(partial, response, url, directory, stem)
        finally:
            await response.aclose()
    except httpx.RequestError as exc:
        raise connection_error(exc, "GET", url) from exc


def _commit(partial: PartialFile, response: httpx.Response, url: str, directory: Path, stem: str) -> Path:
    """Name the complete body after its content type (checked only now: a cut-off body is a connection error,
    which is retried, not a wrong answer)."""
    extension = extension_for(response.headers.get("content-type"), url)
    if partial.size == 0:
        raise MalformedResponseError(response.status_code, f"output {_strip_query(url)} is empty")
    return partial.commit(directory / f"{stem}{extension}")


def _strip_query(url: str) -> str:
    return url.split("?", 1)[0]

"""How to provoke each documented 4xx of openapi.yaml, over raw HTTP (to check the server) and through the client.

The expected status and `detail` are never written here: they are read from the spec's response examples
(``documented_errors()``); this module only knows which request provokes which example.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from conformance.spec import load_spec, max_image_bytes, value_not_in
from luma_agents_client.models import ImageRef
from luma_uni import Luma
from luma_uni_mock import rule_wording
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.spec_facts import load_spec_facts

JSON = dict[str, Any]
MAX_IMAGE_BYTES = max_image_bytes()  # the spec's x-max-decoded-bytes, which the 413 examples are about
PROMPT = "A lighthouse on a cliff at dusk, oil painting"
URL = "https://example.com/photo.jpg"
UNFETCHABLE_URL = "https://127.0.0.1/photo.png"  # loopback: refused by the real ingestion proxy and by the mock
FACTS = load_spec_facts(REPO_SPEC_PATH)
EDIT = rule_wording.EDIT_TYPE
LAYERING_PROMPT_MAX = FACTS.prompt_bounds(rule_wording.LAYERING_TYPE)[1]
MAX_REFS = FACTS.max_image_refs
LANDSCAPE = next(ratio for ratio in FACTS.aspect_ratios if ratio not in rule_wording.portrait_ratios(FACTS))


@dataclass(frozen=True)
class DocumentedError:
    """One example of a documented 4xx response: ``component`` and ``name`` locate it in openapi.yaml."""

    component: str
    name: str
    status: int
    detail: str

    @property
    def key(self) -> str:
        return f"{self.component}.{self.name}"


def documented_errors() -> dict[str, DocumentedError]:
    """Every 4xx example of the spec's shared responses, with the status the operations give that response."""
    spec = load_spec()
    statuses: dict[str, int] = {}
    for item in spec["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                ref = response.get("$ref", "")
                if status.isdigit() and status.startswith("4") and ref:
                    statuses[ref.rsplit("/", 1)[1]] = int(status)
    found: dict[str, DocumentedError] = {}
    for component, status in statuses.items():
        examples = spec["components"]["responses"][component]["content"]["application/json"]["examples"]
        for name, example in examples.items():
            error = DocumentedError(component, name, status, example["value"]["detail"])
            found[error.key] = error
    return found


def contradicted(documented: DocumentedError, status: int) -> str:
    """Where openapi.yaml states what an answer of ``status`` to ``documented``'s trigger contradicts: the refusal
    itself when the server took the request (an x-rule, else the documented response), else, for an x-rule's
    example, its status or its wording, for another example the example (its source speaks for the status and
    wording of that case). conformance/sources.py finds their sources."""
    accepted = status < 400
    if documented.component == "BadRequest" and documented.name in {rule.id for rule in FACTS.rules}:
        rule = f"components.schemas.CreateGenerationRequest.x-rules.{documented.name}"
        return rule if accepted else f"{rule}.status" if status != documented.status else f"{rule}.detail"
    response = f"components.responses.{documented.component}"
    return response if accepted else f"{response}.examples.{documented.name}"


def documented_headers(component: str) -> dict[str, JSON]:
    """The headers the spec's response ``component`` documents, each ``$ref`` resolved (``required``, ``schema``)."""
    spec = load_spec()
    found: dict[str, JSON] = {}
    for name, header in spec["components"]["responses"][component].get("headers", {}).items():
        ref = header.get("$ref", "")
        found[name] = spec["components"]["headers"][ref.rsplit("/", 1)[1]] if ref else header
    return found


def example_values(rule_id: str, *, limits_too: bool = False) -> dict[str, str]:
    """The request values (``{value}``, ``{model}``) the spec's example of an x-rule shows, so the trigger sends
    exactly what the example documents (tests/mock/test_x_rules.py keeps the example worded as the rule); with
    ``limits_too``, the values the spec fixes (``{limit}``, ``{valid}``) as the example writes them, too."""
    rule = FACTS.rule(rule_id)
    documented = documented_errors()[f"BadRequest.{rule_id}"].detail
    values = rule_wording.parse_detail(FACTS, rule, documented, any_fixed=limits_too)
    assert values is not None, (
        f"openapi.yaml's example components.responses.BadRequest.examples.{rule_id} ({documented!r}) is not worded "
        f"as its x-rule ({rule.detail!r}) with today's values: change the example (tests/mock/test_x_rules.py says how)"
    )
    return values


@dataclass
class Context:
    """What a trigger may use: a raw HTTP client and a Luma client (both with the trigger's key), a directory
    with a small PNG (``image.png``), and the valid key of the run."""

    raw: httpx.Client
    luma: Luma
    files: Path
    valid_key: str
    make_client: Callable[[str], Luma]

    @property
    def png(self) -> Path:
        return self.files / "image.png"

    @property
    def png_base64(self) -> str:
        return base64.b64encode(self.png.read_bytes()).decode()

    def oversized_file(self) -> Path:
        """A sparse file one byte over the 50 MB limit (no disk is written)."""
        path = self.files / "oversized.png"
        with path.open("wb") as file:
            file.write(self.png.read_bytes()[:16])
            file.truncate(MAX_IMAGE_BYTES + 1)
        return path


def _post(body: Any) -> Callable[[Context], httpx.Response]:
    return lambda ctx: ctx.raw.post("/generations", json=body)


def _post_example(rule_id: str, **fields: str) -> Callable[[Context], httpx.Response]:
    """POST the request values the x-rule's example shows (``fields`` maps body fields to placeholders); read when
    the trigger runs, so a stale example fails its own test with a message naming it, not the collection."""
    return lambda ctx: ctx.raw.post(
        "/generations", json={"prompt": PROMPT, **{f: example_values(rule_id)[v] for f, v in fields.items()}}
    )


def _post_with_a_space_in_the_key(ctx: Context) -> httpx.Response:
    """The run's valid key split in two by a space: not one bearer token, so a missing or invalid key."""
    key = f"{ctx.valid_key[:-1]} {ctx.valid_key[-1]}"
    return ctx.raw.post("/generations", json={"prompt": PROMPT}, headers={"Authorization": f"Bearer {key}"})


def _oversized_base64() -> str:
    return "A" * (4 * -(-(MAX_IMAGE_BYTES + 1) // 3) + 4)


def _twice(body: Any) -> Callable[[Context], httpx.Response]:
    def send(ctx: Context) -> httpx.Response:
        first = ctx.raw.post("/generations", json=body)
        assert first.status_code == 201, f"the first request is within the limit, yet got {first.status_code}"
        return ctx.raw.post("/generations", json=body)

    return send


def _create_twice(ctx: Context) -> object:
    ctx.luma.generations.create(prompt=PROMPT)  # within the limit: an error here is not the documented 429
    return ctx.luma.generations.create(prompt=PROMPT)


def _someone_elses_generation(ctx: Context) -> str:
    with ctx.make_client(f"luma-api-{uuid.uuid4().hex}") as other:
        return str(other.generations.create(prompt=PROMPT).id)


def _special_key(word: str) -> Callable[[str], str]:
    return lambda _: f"luma-api-{word}-{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Trigger:
    """One way to provoke the documented error ``example`` (a key of :func:`documented_errors`)."""

    example: str
    label: str
    raw: Callable[[Context], httpx.Response]
    # Through the client; None when the client cannot send such a request at all (the reason is in `no_client`).
    call: Callable[[Context], object] | None
    no_client: str = ""
    key: Callable[[str], str] = field(default=lambda valid: valid)
    mock_only: str = ""  # why it cannot run against a live server (empty: it can)
    mock_config: dict[str, Any] = field(default_factory=dict)  # a dedicated mock with these MockConfig fields
    headers: dict[str, str] = field(default_factory=dict)  # extra request headers (raw and client)
    # False when the client refuses before sending with its own words (the reason is in `client_wording`).
    client_detail: bool = True
    client_wording: str = ""
    # A reported disagreement the wire test is expected to show (it is marked xfail(strict=True) with this reason).
    known_issue: str = ""
    # The x-rule whose wording the answer must have, when the example shows a value no trigger can reproduce (the
    # id of a generation the example made up): then the detail is compared by the rule, not character for character.
    same_rule: str = ""
    # The x-rule values the request shows where they differ from the example's (an ImageRef at another path): the
    # expected detail is then the example's rule worded with them.
    values: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.example}[{self.label}]" if self.label else self.example


NOT_SENDABLE = "the client always sends a well-formed JSON body"
VIDEO_URL = "https://example.com/clip.mp4"
VIDEO_MEDIA_TYPE = sorted(FACTS.video_media_types)[0]  # ImageRef's x-accepted-video-media-types


def _video_type(*, source: bool, keeps_shape: bool = True) -> str:
    """The type making a video from nothing (``source`` False) or from a video source that keeps (edit) or not
    (reframe) its shape: read from GenerationType's x-types."""
    return next(
        name
        for name in FACTS.types
        if FACTS.of_type(name).output == "video"
        and (FACTS.of_type(name).source is not None) == source
        and (not source or FACTS.of_type(name).keeps_source_shape == keeps_shape)
    )


VIDEO = _video_type(source=False)
VIDEO_EDIT = _video_type(source=True)
REFRAME = _video_type(source=True, keeps_shape=False)
NOT_A_RATIO = value_not_in("AspectRatio")
NOT_FRAMED = sorted(set(FACTS.video_durations) - FACTS.frame_durations)[0]  # start/end frames: not this duration
VIDEO_MODEL = next(model for model in FACTS.models if VIDEO in FACTS.types_of(model))


def _video_body(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"prompt": PROMPT, "type": kind, "model": VIDEO_MODEL, "video": options}
    if FACTS.of_type(kind).source is not None:
        body["source"] = {"url": VIDEO_URL, "media_type": VIDEO_MEDIA_TYPE}
    return body


def _post_video(kind: str = VIDEO, **options: Any) -> Callable[[Context], httpx.Response]:
    return _post(_video_body(kind, options))


def _create_video(kind: str = VIDEO, **options: Any) -> Callable[[Context], object]:
    """The request of :func:`_post_video`, through the client (the options as the plain mapping users pass)."""
    source = _video_body(kind, options).get("source")
    return lambda ctx: ctx.luma.generations.create(
        prompt=PROMPT, type=kind, model=VIDEO_MODEL, video=options, source=source
    )


def _keyframes_past_the_end() -> dict[str, Any]:
    """One frame past the last of the example's duration (read when the trigger runs, as _post_example does)."""
    shown = example_values("keyframe_index_range")
    frames = [0, int(shown["last"]) + 1]
    return {"keyframes": [{"url": URL}] * 2, "keyframe_indexes": frames, "duration": shown["duration"]}


def _keyframe_past_the_end(ctx: Context) -> httpx.Response:
    return _post_video(**_keyframes_past_the_end())(ctx)


def _keyframe_past_the_end_through_the_client(ctx: Context) -> object:
    return _create_video(**_keyframes_past_the_end())(ctx)


def _chain_off(make: dict[str, Any], then: dict[str, Any]) -> Callable[[Context], httpx.Response]:
    """Create ``make``, then POST ``then`` with the new generation's id as ``source.generation_id``."""

    def send(ctx: Context) -> httpx.Response:
        prior = ctx.raw.post("/generations", json={"prompt": PROMPT, **make}).json()["id"]
        return ctx.raw.post("/generations", json={"prompt": PROMPT, **then, "source": {"generation_id": prior}})

    return send


def _chain_off_through_the_client(make: dict[str, Any], then: dict[str, Any]) -> Callable[[Context], object]:
    def call(ctx: Context) -> object:
        prior = ctx.luma.generations.create(prompt=PROMPT, **make).id
        return ctx.luma.generations.create(prompt=PROMPT, **then, source=ImageRef(generation_id=uuid.UUID(str(prior))))

    return call


TRIGGERS: list[Trigger] = [
    Trigger(
        "BadRequest.prompt_length",
        "",
        _post({"prompt": "x" * (FACTS.prompt_max_length + 1)}),
        lambda ctx: ctx.luma.generations.create(prompt="x" * (FACTS.prompt_max_length + 1)),
    ),
    Trigger(
        "BadRequest.layering_prompt_length",
        "",
        _post({"prompt": "x" * (LAYERING_PROMPT_MAX + 1), "type": rule_wording.LAYERING_TYPE, "source": {"url": URL}}),
        lambda ctx: ctx.luma.generations.create(
            prompt="x" * (LAYERING_PROMPT_MAX + 1), type=rule_wording.LAYERING_TYPE, source=URL
        ),
    ),
    Trigger(
        "BadRequest.unknown_model",
        "",
        _post_example("unknown_model", model="value"),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, model=example_values("unknown_model")["value"]),
    ),
    Trigger(
        "BadRequest.invalid_aspect_ratio",
        "",
        _post_example("invalid_aspect_ratio", aspect_ratio="value"),
        lambda ctx: ctx.luma.generations.create(
            prompt=PROMPT, aspect_ratio=example_values("invalid_aspect_ratio")["value"]
        ),
    ),
    Trigger(
        "BadRequest.invalid_aspect_ratio",
        f"{VIDEO_MODEL}, not an AspectRatio",  # the detail lists the ratios of the model asked for
        _post({"prompt": PROMPT, "type": VIDEO, "model": VIDEO_MODEL, "aspect_ratio": NOT_A_RATIO}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, type=VIDEO, model=VIDEO_MODEL, aspect_ratio=NOT_A_RATIO),
        values={"value": NOT_A_RATIO, "valid": rule_wording.valid_ratios(FACTS, VIDEO_MODEL)},
    ),
    Trigger(
        "BadRequest.unsupported_type",
        "",
        _post_example("unsupported_type", type="value", model="model"),
        lambda ctx: ctx.luma.generations.create(
            prompt=PROMPT,
            type=example_values("unsupported_type")["value"],
            model=example_values("unsupported_type")["model"],
        ),
    ),
    Trigger(
        "BadRequest.source_not_allowed",
        "",
        _post({"prompt": PROMPT, "source": {"url": URL}}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, source=URL),
    ),
    Trigger(
        "BadRequest.source_required",
        "",
        _post({"prompt": PROMPT, "type": EDIT}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, type=EDIT),
    ),
    Trigger(
        "BadRequest.ref_exactly_one",
        "url and data",
        lambda ctx: ctx.raw.post(
            "/generations",
            json={"prompt": PROMPT, "image_ref": [{"url": URL, "data": ctx.png_base64, "media_type": "image/png"}]},
        ),
        lambda ctx: ctx.luma.generations.create(
            prompt=PROMPT, image_ref=[ImageRef(url=URL, data=ctx.png_base64, media_type="image/png")]
        ),
    ),
    Trigger(
        "BadRequest.ref_exactly_one",
        "none",
        _post({"prompt": PROMPT, "image_ref": [{}]}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, image_ref=[ImageRef()]),
    ),
    *(
        Trigger(
            "BadRequest.ref_exactly_one",
            path,
            _post_video(VIDEO, **video),
            _create_video(VIDEO, **video),
            values={"path": path},
        )
        for path, video in (
            ("video.start_frame", {"start_frame": {}}),
            ("video.end_frame", {"end_frame": {}}),
            ("video.keyframes[1]", {"keyframes": [{"url": URL}, {}]}),
        )
    ),
    Trigger(
        "BadRequest.ref_exactly_one",
        "video.edit.keyframes[0]",
        _post_video(VIDEO_EDIT, edit={"keyframes": [{}]}),
        _create_video(VIDEO_EDIT, edit={"keyframes": [{}]}),
        values={"path": "video.edit.keyframes[0]"},
    ),
    Trigger(
        "BadRequest.media_type_required",
        "",
        lambda ctx: ctx.raw.post(
            "/generations", json={"prompt": PROMPT, "image_ref": [{"url": URL}, {"data": ctx.png_base64}]}
        ),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, image_ref=[URL, ImageRef(data=ctx.png_base64)]),
    ),
    Trigger(
        "BadRequest.too_many_edit_refs",
        "",
        _post({"prompt": PROMPT, "type": EDIT, "source": {"url": URL}, "image_ref": [{"url": URL}] * MAX_REFS}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, type=EDIT, source=URL, image_ref=[URL] * MAX_REFS),
    ),
    Trigger(
        "BadRequest.too_many_refs",
        "",
        _post({"prompt": PROMPT, "image_ref": [{"url": URL}] * (MAX_REFS + 1)}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, image_ref=[URL] * (MAX_REFS + 1)),
    ),
    Trigger(
        "BadRequest.manga_landscape",
        "",
        _post({"prompt": PROMPT, "style": rule_wording.MANGA_STYLE, "aspect_ratio": LANDSCAPE}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, style=rule_wording.MANGA_STYLE, aspect_ratio=LANDSCAPE),
    ),
    Trigger(
        "BadRequest.not_for_type",
        "",
        _post_video(REFRAME, loop=True),
        _create_video(REFRAME, loop=True),
    ),
    Trigger(
        "BadRequest.url_media_type_required",
        "",
        _post({"prompt": PROMPT, "type": VIDEO_EDIT, "model": VIDEO_MODEL, "source": {"url": VIDEO_URL}}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, type=VIDEO_EDIT, model=VIDEO_MODEL, source=VIDEO_URL),
    ),
    Trigger(
        "BadRequest.media_type_not_accepted",
        "",
        lambda ctx: ctx.raw.post(
            "/generations",
            json={
                "prompt": PROMPT,
                "image_ref": [{"url": URL, "media_type": example_values("media_type_not_accepted")["value"]}],
            },
        ),
        lambda ctx: ctx.luma.generations.create(
            prompt=PROMPT,
            image_ref=[ImageRef(url=URL, media_type=example_values("media_type_not_accepted")["value"])],
        ),
    ),
    Trigger("BadRequest.exr_requires_hdr", "", _post_video(exr_export=True), _create_video(exr_export=True)),
    Trigger(
        "BadRequest.loop_conflict",
        "",
        _post_video(loop=True, duration=sorted(set(FACTS.video_durations) - FACTS.loopable_durations)[0]),
        _create_video(loop=True, duration=sorted(set(FACTS.video_durations) - FACTS.loopable_durations)[0]),
    ),
    Trigger(
        "BadRequest.frames_conflict",
        "",
        _post_video(start_frame={"url": URL}, duration=NOT_FRAMED),
        _create_video(start_frame={"url": URL}, duration=NOT_FRAMED),
        values={"field": "start_frame", "conflict": f"duration '{NOT_FRAMED}'"},
    ),
    Trigger(
        "BadRequest.frames_conflict",
        "video_edit, hdr",
        _post_video(VIDEO_EDIT, start_frame={"url": URL}, hdr=True),
        _create_video(VIDEO_EDIT, start_frame={"url": URL}, hdr=True),
        values={"field": "start_frame", "conflict": "video.hdr"},
    ),
    Trigger(
        "BadRequest.hdr_resolution",
        "",
        _post_video(hdr=True, resolution=sorted(FACTS.sdr_only_resolutions)[0]),
        _create_video(hdr=True, resolution=sorted(FACTS.sdr_only_resolutions)[0]),
    ),
    Trigger(
        "BadRequest.keyframes_exclusive",
        "",
        _post_video(keyframes=[{"url": URL}], keyframe_indexes=[0], start_frame={"url": URL}),
        _create_video(keyframes=[{"url": URL}], keyframe_indexes=[0], start_frame={"url": URL}),
    ),
    Trigger(
        "BadRequest.keyframes_exclusive",
        "video.edit.keyframes",
        _post_video(VIDEO_EDIT, start_frame={"url": URL}, edit={"keyframes": [{"url": URL}], "keyframe_indexes": [0]}),
        _create_video(
            VIDEO_EDIT, start_frame={"url": URL}, edit={"keyframes": [{"url": URL}], "keyframe_indexes": [0]}
        ),
        values={"keyframes": "video.edit.keyframes", "other": "start_frame"},
    ),
    Trigger(
        "BadRequest.keyframe_indexes_match",
        "",
        _post_video(keyframes=[{"url": URL}]),
        _create_video(keyframes=[{"url": URL}]),
    ),
    Trigger(
        "BadRequest.keyframe_index_range",
        "",
        _keyframe_past_the_end,
        _keyframe_past_the_end_through_the_client,
    ),
    Trigger(
        "BadRequest.file_not_found",
        "",
        _post({"prompt": PROMPT, "type": EDIT, "source": {"file_id": str(uuid.uuid4())}}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, type=EDIT, source=ImageRef(file_id=uuid.uuid4())),
        mock_only="the mock knows no file (no /files endpoint); a live server may know this one",
    ),
    Trigger(
        "BadRequest.generation_not_found",
        "",
        _post({"prompt": PROMPT, "type": EDIT, "source": {"generation_id": str(uuid.uuid4())}}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, type=EDIT, source=ImageRef(generation_id=uuid.uuid4())),
    ),
    Trigger(
        "BadRequest.generation_not_completed",
        "",
        _chain_off({}, {"type": EDIT}),
        _chain_off_through_the_client({}, {"type": EDIT}),
        mock_only="needs a generation that is still running",
        mock_config={"time_scale": 0},
        same_rule="generation_not_completed",
    ),
    Trigger(
        "BadRequest.generation_wrong_kind",
        "",
        _chain_off({}, {"type": VIDEO_EDIT, "model": VIDEO_MODEL}),
        _chain_off_through_the_client({}, {"type": VIDEO_EDIT, "model": VIDEO_MODEL}),
        mock_only="needs an image generation completed at once",
        mock_config={"queued_seconds": 0, "processing_seconds": 0},
        same_rule="generation_wrong_kind",
    ),
    Trigger(
        "BadRequest.malformed_json",
        "",
        lambda ctx: ctx.raw.post("/generations", content=b'{"prompt": ', headers={"content-type": "application/json"}),
        None,
        no_client=NOT_SENDABLE,
    ),
    Trigger(
        "BadRequest.malformed_json",
        "NaN",  # Python's json module reads it; JSON (RFC 8259) has no such number
        lambda ctx: ctx.raw.post(
            "/generations", content=b'{"prompt": NaN}', headers={"content-type": "application/json"}
        ),
        None,
        no_client=NOT_SENDABLE,
    ),
    Trigger(
        "BadRequest.schema",
        "",
        _post({"prompt": PROMPT, "web_search": "yes"}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, web_search="yes"),  # type: ignore[arg-type]
    ),
    Trigger(
        "BadRequest.schema_nested",
        "",
        _post({"prompt": PROMPT, "image_ref": [{"url": 5}]}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, image_ref=[ImageRef(url=5)]),  # type: ignore[arg-type]
    ),
    Trigger(
        "Unauthorized.missing",
        "",
        _post({"prompt": PROMPT}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT),
        key=lambda _: "sk-not-a-luma-key",
    ),
    Trigger(
        "Unauthorized.missing",
        "space in key",
        _post_with_a_space_in_the_key,
        None,
        no_client="the client refuses a key with a space before sending anything (ConfigurationError)",
    ),
    Trigger(
        "Unauthorized.invalid",
        "",
        lambda ctx: ctx.raw.get(f"/generations/{uuid.uuid4()}"),
        lambda ctx: ctx.luma.generations.get(str(uuid.uuid4())),
        key=_special_key("invalid"),
    ),
    *(
        Trigger(
            f"Unauthorized.{word}",
            "",
            _post({"prompt": PROMPT}),
            lambda ctx: ctx.luma.generations.create(prompt=PROMPT),
            key=_special_key(word),
            mock_only="needs a revoked or expired key",
        )
        for word in ("revoked", "expired")
    ),
    Trigger(
        "PaymentRequired.insufficient_credits",
        "",
        _post({"prompt": PROMPT}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT),
        key=_special_key("broke"),
        mock_only="needs an account without credits",
    ),
    *(
        Trigger(
            f"Forbidden.{word}",
            "",
            _post({"prompt": PROMPT}),
            lambda ctx: ctx.luma.generations.create(prompt=PROMPT),
            key=_special_key(word),
            mock_only="needs a suspended or deactivated client",
        )
        for word in ("suspended", "deactivated")
    ),
    Trigger(
        "NotFound.not_found",
        "unknown id",
        lambda ctx: ctx.raw.get(f"/generations/{uuid.uuid4()}"),
        lambda ctx: ctx.luma.generations.get(str(uuid.uuid4())),
    ),
    Trigger(
        "NotFound.not_found",
        "not a uuid",
        lambda ctx: ctx.raw.get("/generations/not-a-uuid"),
        lambda ctx: ctx.luma.generations.get("not-a-uuid"),
        client_detail=False,
        client_wording="the client checks the id's shape before sending and says what is wrong with it",
    ),
    Trigger(
        "NotFound.not_found",
        "another key's generation",
        lambda ctx: ctx.raw.get(f"/generations/{_someone_elses_generation(ctx)}"),
        lambda ctx: ctx.luma.generations.get(_someone_elses_generation(ctx)),
        mock_only="creates a (billed) generation under a second key",
    ),
    Trigger(
        "PayloadTooLarge.source_too_large",
        "",
        lambda ctx: ctx.raw.post(
            "/generations",
            json={
                "prompt": PROMPT,
                "type": EDIT,
                "source": {"data": _oversized_base64(), "media_type": "image/png"},
            },
        ),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, type=EDIT, source=ctx.oversized_file()),
        mock_only="uploads 70 MB",
    ),
    Trigger(
        "PayloadTooLarge.ref_too_large",
        "",
        lambda ctx: ctx.raw.post(
            "/generations",
            json={
                "prompt": PROMPT,
                "image_ref": [{"url": URL}, {"url": URL}, {"data": _oversized_base64(), "media_type": "image/png"}],
            },
        ),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, image_ref=[URL, URL, ctx.oversized_file()]),
        mock_only="uploads 70 MB",
    ),
    Trigger(
        "PayloadTooLarge.video_too_large",
        "",
        lambda ctx: ctx.raw.post(
            "/generations",
            json={
                "prompt": PROMPT,
                "type": VIDEO_EDIT,
                "model": VIDEO_MODEL,
                "source": {"data": _oversized_base64(), "media_type": VIDEO_MEDIA_TYPE},
            },
        ),
        lambda ctx: ctx.luma.generations.create(
            prompt=PROMPT,
            type=VIDEO_EDIT,
            model=VIDEO_MODEL,
            source={"data": _oversized_base64(), "media_type": VIDEO_MEDIA_TYPE},
        ),
        mock_only="uploads 70 MB",
    ),
    Trigger(
        "UnsupportedMediaType.not_json",
        "",
        lambda ctx: ctx.raw.post("/generations", content=PROMPT.encode(), headers={"content-type": "text/plain"}),
        None,
        no_client=NOT_SENDABLE,
    ),
    Trigger(
        "UnprocessableEntity.invalid_base64",
        "",
        _post({"prompt": PROMPT, "type": EDIT, "source": {"data": "!!not base64!!", "media_type": "image/png"}}),
        lambda ctx: ctx.luma.generations.create(
            prompt=PROMPT, type=EDIT, source=ImageRef(data="!!not base64!!", media_type="image/png")
        ),
    ),
    Trigger(
        "UnprocessableEntity.fetch_failed",
        "",
        _post({"prompt": PROMPT, "image_ref": [{"url": UNFETCHABLE_URL}]}),
        lambda ctx: ctx.luma.generations.create(prompt=PROMPT, image_ref=[UNFETCHABLE_URL]),
    ),
    Trigger(
        "UnprocessableEntity.not_an_image",
        "",
        _post(
            {
                "prompt": PROMPT,
                "type": EDIT,
                "source": {"data": base64.b64encode(b"<html>not an image</html>").decode(), "media_type": "image/png"},
            }
        ),
        lambda ctx: ctx.luma.generations.create(
            prompt=PROMPT,
            type=EDIT,
            source=ImageRef(data=base64.b64encode(b"<html>not an image</html>").decode(), media_type="image/png"),
        ),
    ),
    Trigger(
        "UnprocessableEntity.not_a_video",
        "",
        _post(
            {
                "prompt": PROMPT,
                "type": VIDEO_EDIT,
                "model": VIDEO_MODEL,
                "source": {
                    "data": base64.b64encode(b"<html>not a video</html>").decode(),
                    "media_type": VIDEO_MEDIA_TYPE,
                },
            }
        ),
        lambda ctx: ctx.luma.generations.create(
            prompt=PROMPT,
            type=VIDEO_EDIT,
            model=VIDEO_MODEL,
            source=ImageRef(data=base64.b64encode(b"<html>not a video</html>").decode(), media_type=VIDEO_MEDIA_TYPE),
        ),
    ),
    Trigger(
        "TooManyRequests.rate_limit",
        "",
        _twice({"prompt": PROMPT}),
        _create_twice,
        mock_only="needs a per-minute limit of 1",
        mock_config={"rpm": 1},
    ),
    Trigger(
        "TooManyRequests.concurrency",
        "",
        _twice({"prompt": PROMPT}),
        _create_twice,
        mock_only="needs a concurrent-jobs limit of 1",
        mock_config={"max_concurrent": 1},
    ),
    Trigger(
        "TooManyRequestsAbuse.rate_limit",
        "",
        lambda ctx: ctx.raw.get(f"/generations/{uuid.uuid4()}"),
        lambda ctx: ctx.luma.generations.get(str(uuid.uuid4())),
        mock_only="the abuse ceiling is reached only by the mock's fault header",
        headers={"X-Mock-Status": "429"},
    ),
]

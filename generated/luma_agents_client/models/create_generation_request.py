from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.aspect_ratio import AspectRatio
from ..models.generation_type import GenerationType
from ..models.model import Model
from ..models.output_format import OutputFormat
from ..models.style import Style
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_ref import ImageRef
    from ..models.layering_options import LayeringOptions
    from ..models.video_options import VideoOptions


T = TypeVar("T", bound="CreateGenerationRequest")


@_attrs_define
class CreateGenerationRequest:
    """Only `prompt` is required; a field left out is decided by the server. The server's defaults are given as
    `x-server-default` rather than `default`, so that generated clients do not send values the user did not choose.
    Every request rule is listed in `x-rules` (each with its status and exact `detail`; `{placeholders}` are
    filled from this spec or the request): those JSON Schema can state are stated by the schema below (nodes
    marked `x-rule: <id>`), the others are the mock's code (src/luma_uni_mock/rules.py, under the same id), and
    the API's own wording of some plain schema errors too. Every one has an error example of the same name.

        Attributes:
            prompt (str): What to generate, or how to change `source`: 1 to 6000 characters. For `layering` it is optional
                guidance on how to split the image: empty, or at most 500 characters.
                 Example: A lighthouse on a cliff at dusk, oil painting.
            type_ (GenerationType | Unset): The kind of generation. `image` and `video` create from the prompt;
                `image_edit`, `video_edit` and
                `video_reframe` transform `source`; `layering` splits the image in `source` into layers.
            model (Model | Unset): Model identifier. `uni-1` is the default image tier; `uni-1-max` produces higher-quality
                output than
                `uni-1` at a higher per-image price. `ray-3.2` is the video model (text-to-video, image-to-video,
                video-to-video editing and reframing).
            aspect_ratio (AspectRatio | None | Unset): Unset or null lets the model pick from the prompt. Ignored for the
                types whose output keeps the source's
                shape (GenerationType's `x-types`: `image_edit`, `video_edit`, `layering`).
            style (Style | Unset): Rendering style. `manga` needs a portrait `aspect_ratio` (taller than wide) or none.
            output_format (None | OutputFormat | Unset): Server default `png` when left out or null; the conformance suite
                reports a server that picks otherwise.
            web_search (bool | Unset): Let the agent search the web for reference images first (adds a few seconds). Server
                default `false`.
            image_ref (list[ImageRef] | Unset): Reference images for style/content guidance. At most `maxItems` for `image`,
                one fewer for `image_edit`;
                not taken by the video types and `layering`. Server default `[]`.
            source (ImageRef | None | Unset): The input to transform: the image to edit (`image_edit`) or split
                (`layering`), the video to edit
                (`video_edit`) or reframe (`video_reframe`). Required for those types; must be null or left out for
                `image` and `video`.
            video (None | Unset | VideoOptions): Video options, for `video`, `video_edit` and `video_reframe` only.
            layering (LayeringOptions | None | Unset): Layer-extraction options, for `layering` only.
            user_id (None | str | Unset): An opaque id of your end user (no PII), for trust-and-safety attribution and usage
                breakdowns.
    """

    prompt: str
    type_: GenerationType | Unset = UNSET
    model: Model | Unset = UNSET
    aspect_ratio: AspectRatio | None | Unset = UNSET
    style: Style | Unset = UNSET
    output_format: None | OutputFormat | Unset = UNSET
    web_search: bool | Unset = UNSET
    image_ref: list[ImageRef] | Unset = UNSET
    source: ImageRef | None | Unset = UNSET
    video: None | Unset | VideoOptions = UNSET
    layering: LayeringOptions | None | Unset = UNSET
    user_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.image_ref import ImageRef  # noqa: PLC0415
        from ..models.layering_options import LayeringOptions  # noqa: PLC0415
        from ..models.video_options import VideoOptions  # noqa: PLC0415

        prompt = self.prompt

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        model: str | Unset = UNSET
        if not isinstance(self.model, Unset):
            model = self.model.value

        aspect_ratio: None | str | Unset
        if isinstance(self.aspect_ratio, Unset):
            aspect_ratio = UNSET
        elif isinstance(self.aspect_ratio, AspectRatio):
            aspect_ratio = self.aspect_ratio.value
        else:
            aspect_ratio = self.aspect_ratio

        style: str | Unset = UNSET
        if not isinstance(self.style, Unset):
            style = self.style.value

        output_format: None | str | Unset
        if isinstance(self.output_format, Unset):
            output_format = UNSET
        elif isinstance(self.output_format, OutputFormat):
            output_format = self.output_format.value
        else:
            output_format = self.output_format

        web_search = self.web_search

        image_ref: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.image_ref, Unset):
            image_ref = []
            for image_ref_item_data in self.image_ref:
                image_ref_item = image_ref_item_data.to_dict()
                image_ref.append(image_ref_item)

        source: dict[str, Any] | None | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        elif isinstance(self.source, ImageRef):
            source = self.source.to_dict()
        else:
            source = self.source

        video: dict[str, Any] | None | Unset
        if isinstance(self.video, Unset):
            video = UNSET
        elif isinstance(self.video, VideoOptions):
            video = self.video.to_dict()
        else:
            video = self.video

        layering: dict[str, Any] | None | Unset
        if isinstance(self.layering, Unset):
            layering = UNSET
        elif isinstance(self.layering, LayeringOptions):
            layering = self.layering.to_dict()
        else:
            layering = self.layering

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if model is not UNSET:
            field_dict["model"] = model
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if style is not UNSET:
            field_dict["style"] = style
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if web_search is not UNSET:
            field_dict["web_search"] = web_search
        if image_ref is not UNSET:
            field_dict["image_ref"] = image_ref
        if source is not UNSET:
            field_dict["source"] = source
        if video is not UNSET:
            field_dict["video"] = video
        if layering is not UNSET:
            field_dict["layering"] = layering
        if user_id is not UNSET:
            field_dict["user_id"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_ref import ImageRef  # noqa: PLC0415
        from ..models.layering_options import LayeringOptions  # noqa: PLC0415
        from ..models.video_options import VideoOptions  # noqa: PLC0415

        d = dict(src_dict)
        prompt = d.pop("prompt")

        _type_ = d.pop("type", UNSET)
        type_: GenerationType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = GenerationType(_type_)

        _model = d.pop("model", UNSET)
        model: Model | Unset
        if isinstance(_model, Unset):
            model = UNSET
        else:
            model = Model(_model)

        def _parse_aspect_ratio(data: object) -> AspectRatio | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                aspect_ratio_type_0 = AspectRatio(data)

                return aspect_ratio_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AspectRatio | None | Unset, data)

        aspect_ratio = _parse_aspect_ratio(d.pop("aspect_ratio", UNSET))

        _style = d.pop("style", UNSET)
        style: Style | Unset
        if isinstance(_style, Unset):
            style = UNSET
        else:
            style = Style(_style)

        def _parse_output_format(data: object) -> None | OutputFormat | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                output_format_type_0 = OutputFormat(data)

                return output_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutputFormat | Unset, data)

        output_format = _parse_output_format(d.pop("output_format", UNSET))

        web_search = d.pop("web_search", UNSET)

        _image_ref = d.pop("image_ref", UNSET)
        image_ref: list[ImageRef] | Unset = UNSET
        if _image_ref is not UNSET:
            image_ref = []
            for image_ref_item_data in _image_ref:
                image_ref_item = ImageRef.from_dict(image_ref_item_data)

                image_ref.append(image_ref_item)

        def _parse_source(data: object) -> ImageRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                source_type_0 = ImageRef.from_dict(data)

                return source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageRef | None | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        def _parse_video(data: object) -> None | Unset | VideoOptions:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                video_type_0 = VideoOptions.from_dict(data)

                return video_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoOptions, data)

        video = _parse_video(d.pop("video", UNSET))

        def _parse_layering(data: object) -> LayeringOptions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                layering_type_0 = LayeringOptions.from_dict(data)

                return layering_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LayeringOptions | None | Unset, data)

        layering = _parse_layering(d.pop("layering", UNSET))

        def _parse_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_id = _parse_user_id(d.pop("user_id", UNSET))

        create_generation_request = cls(
            prompt=prompt,
            type_=type_,
            model=model,
            aspect_ratio=aspect_ratio,
            style=style,
            output_format=output_format,
            web_search=web_search,
            image_ref=image_ref,
            source=source,
            video=video,
            layering=layering,
            user_id=user_id,
        )

        return create_generation_request

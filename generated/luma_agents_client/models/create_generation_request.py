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


T = TypeVar("T", bound="CreateGenerationRequest")


@_attrs_define
class CreateGenerationRequest:
    """Only `prompt` is required; a field left out is decided by the server. The server's defaults are given as
    `x-server-default` rather than `default`, so that generated clients do not send values the user did not choose.
    The rules a JSON schema cannot state, and the API's own wording of some schema errors, are listed in
    `x-rules` (each with its status and exact `detail`; `{placeholders}` are filled from this spec or the request).
    The mock enforces exactly these (conformance/mock/rules.py implements each id) and every one has an error
    example of the same name.

        Attributes:
            prompt (str): What to generate, or how to change `source`. 1 to 6000 characters. Example: A lighthouse on a
                cliff at dusk, oil painting.
            type_ (GenerationType | Unset): The kind of generation. `image_edit` transforms `source`. Newer servers also
                report `video`,
                `video_edit`, `video_reframe` and `layering`.
            model (Model | Unset): Model identifier. `uni-1` is the default tier; `uni-1-max` gives higher-quality output at
                a higher
                per-image price. Both take the same parameters. Newer servers also report `ray-3.2` (video).
            aspect_ratio (AspectRatio | None | Unset): Unset or null lets the model pick from the prompt. Ignored for
                `image_edit`.
            style (Style | Unset): Rendering style. `manga` needs a portrait `aspect_ratio` (taller than wide) or none.
            output_format (None | OutputFormat | Unset): Server default `png` when left out or null (see the choices in the
                API description).
            web_search (bool | Unset): Let the agent search the web for reference images first (adds a few seconds). Server
                default `false`.
            image_ref (list[ImageRef] | Unset): Reference images. At most `maxItems` for `image`, one fewer for
                `image_edit`. Server default `[]`.
            source (ImageRef | None | Unset): The image to edit. Required for `image_edit`; must be null or left out for
                `image`.
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
    user_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.image_ref import ImageRef  # noqa: PLC0415

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
        if user_id is not UNSET:
            field_dict["user_id"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_ref import ImageRef  # noqa: PLC0415

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
            user_id=user_id,
        )

        return create_generation_request

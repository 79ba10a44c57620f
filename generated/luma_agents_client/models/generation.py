from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.failure_code import FailureCode
from ..models.generation_state import GenerationState
from ..models.generation_type import GenerationType
from ..models.model import Model
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.generation_output import GenerationOutput


T = TypeVar("T", bound="Generation")


@_attrs_define
class Generation:
    """A generation's state and, once completed, its outputs. Invariants (stated below as `if`/`then`, so every schema
    validation of a response checks them): `failure_code` and `failure_reason` are non-null exactly when `state` is
    `failed`; `output` holds at least one item when `completed` and is empty (or null) before that and on failure; an
    `image` or `image_edit` generation has one output, of type `image`. Rules JSON Schema cannot state are given as `x-`
    extensions and checked by the conformance suite against any server (conformance/checks.py): `x-state-order` (a new
    generation is answered by the POST in the first state, `queued`, however short its queue; its state never moves
    backwards; once terminal nothing but the freshly minted output URLs changes) and `x-settles-within-seconds` (every
    generation reaches a terminal state within an hour, documented for concurrency accounting).

        Attributes:
            id (UUID): Generation identifier.
            created_at (datetime.datetime): Creation time, RFC 3339 (UTC).
            model (Model): Model identifier. `uni-1` is the default image tier; `uni-1-max` produces higher-quality output
                than
                `uni-1` at a higher per-image price. `ray-3.2` is the video model (text-to-video, image-to-video,
                video-to-video editing and reframing).
            state (GenerationState): `queued` → `processing` → `completed` | `failed`. The last two are terminal.
            type_ (GenerationType): The kind of generation. `image` and `video` create from the prompt; `image_edit`,
                `video_edit` and
                `video_reframe` transform `source`; `layering` splits the image in `source` into layers.
            failure_code (FailureCode | None | Unset): Set when `state` is `failed`, otherwise null.
            failure_reason (None | str | Unset): Human-readable failure description when `state` is `failed`, otherwise
                null.
            output (list[GenerationOutput] | None | Unset): Outputs; `[]` until `completed` and on failure.
    """

    id: UUID
    created_at: datetime.datetime
    model: Model
    state: GenerationState
    type_: GenerationType
    failure_code: FailureCode | None | Unset = UNSET
    failure_reason: None | str | Unset = UNSET
    output: list[GenerationOutput] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        created_at = self.created_at.isoformat()

        model = self.model.value

        state = self.state.value

        type_ = self.type_.value

        failure_code: None | str | Unset
        if isinstance(self.failure_code, Unset):
            failure_code = UNSET
        elif isinstance(self.failure_code, FailureCode):
            failure_code = self.failure_code.value
        else:
            failure_code = self.failure_code

        failure_reason: None | str | Unset
        if isinstance(self.failure_reason, Unset):
            failure_reason = UNSET
        else:
            failure_reason = self.failure_reason

        output: list[dict[str, Any]] | None | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        elif isinstance(self.output, list):
            output = []
            for output_type_0_item_data in self.output:
                output_type_0_item = output_type_0_item_data.to_dict()
                output.append(output_type_0_item)

        else:
            output = self.output

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "model": model,
                "state": state,
                "type": type_,
            }
        )
        if failure_code is not UNSET:
            field_dict["failure_code"] = failure_code
        if failure_reason is not UNSET:
            field_dict["failure_reason"] = failure_reason
        if output is not UNSET:
            field_dict["output"] = output

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generation_output import GenerationOutput  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at").upper())

        model = Model(d.pop("model"))

        state = GenerationState(d.pop("state"))

        type_ = GenerationType(d.pop("type"))

        def _parse_failure_code(data: object) -> FailureCode | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                failure_code_type_0 = FailureCode(data)

                return failure_code_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FailureCode | None | Unset, data)

        failure_code = _parse_failure_code(d.pop("failure_code", UNSET))

        def _parse_failure_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason", UNSET))

        def _parse_output(data: object) -> list[GenerationOutput] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                output_type_0 = []
                _output_type_0 = data
                for output_type_0_item_data in _output_type_0:
                    output_type_0_item = GenerationOutput.from_dict(output_type_0_item_data)

                    output_type_0.append(output_type_0_item)

                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[GenerationOutput] | None | Unset, data)

        output = _parse_output(d.pop("output", UNSET))

        generation = cls(
            id=id,
            created_at=created_at,
            model=model,
            state=state,
            type_=type_,
            failure_code=failure_code,
            failure_reason=failure_reason,
            output=output,
        )

        generation.additional_properties = d
        return generation

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

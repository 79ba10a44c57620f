from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SourcePosition")


@_attrs_define
class SourcePosition:
    """Normalized source rectangle inside the output canvas for `video_reframe`. Omit to let the model choose the
    default centered-fit crop.

        Attributes:
            x_norm (float): Left edge of the source rectangle, as a fraction of canvas width. May be negative (off-canvas).
            y_norm (float): Top edge of the source rectangle, as a fraction of canvas height. May be negative (off-canvas).
            w_norm (float): Source rectangle width, as a fraction of canvas width. Up to 2.0 so the source can bleed off-
                canvas.
            h_norm (float): Source rectangle height, as a fraction of canvas height. Up to 2.0 so the source can bleed off-
                canvas.
    """

    x_norm: float
    y_norm: float
    w_norm: float
    h_norm: float

    def to_dict(self) -> dict[str, Any]:
        x_norm = self.x_norm

        y_norm = self.y_norm

        w_norm = self.w_norm

        h_norm = self.h_norm

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "x_norm": x_norm,
                "y_norm": y_norm,
                "w_norm": w_norm,
                "h_norm": h_norm,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        x_norm = d.pop("x_norm")

        y_norm = d.pop("y_norm")

        w_norm = d.pop("w_norm")

        h_norm = d.pop("h_norm")

        source_position = cls(
            x_norm=x_norm,
            y_norm=y_norm,
            w_norm=w_norm,
            h_norm=h_norm,
        )

        return source_position

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="Uptime")



@_attrs_define
class Uptime:
    """ Uptime in percent over four windows; a window with no data is absent.

        Attributes:
            d30 (float | Unset): The last 30 days.
            d7 (float | Unset): The last 7 days.
            d90 (float | Unset): The last 90 days.
            h24 (float | Unset): The last 24 hours.
     """

    d30: float | Unset = UNSET
    d7: float | Unset = UNSET
    d90: float | Unset = UNSET
    h24: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        d30 = self.d30

        d7 = self.d7

        d90 = self.d90

        h24 = self.h24


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if d30 is not UNSET:
            field_dict["d30"] = d30
        if d7 is not UNSET:
            field_dict["d7"] = d7
        if d90 is not UNSET:
            field_dict["d90"] = d90
        if h24 is not UNSET:
            field_dict["h24"] = h24

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        d30 = d.pop("d30", UNSET)

        d7 = d.pop("d7", UNSET)

        d90 = d.pop("d90", UNSET)

        h24 = d.pop("h24", UNSET)

        uptime = cls(
            d30=d30,
            d7=d7,
            d90=d90,
            h24=h24,
        )


        uptime.additional_properties = d
        return uptime

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

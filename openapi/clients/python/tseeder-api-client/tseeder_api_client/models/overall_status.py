from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.status_indicator import StatusIndicator






T = TypeVar("T", bound="OverallStatus")



@_attrs_define
class OverallStatus:
    """ The overall indicator and its sentence.

        Attributes:
            description (str): E.g. "All Systems Operational".
            indicator (StatusIndicator): The overall indicator.
     """

    description: str
    indicator: StatusIndicator
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        indicator = self.indicator.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "description": description,
            "indicator": indicator,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        indicator = StatusIndicator(d.pop("indicator"))




        overall_status = cls(
            description=description,
            indicator=indicator,
        )


        overall_status.additional_properties = d
        return overall_status

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

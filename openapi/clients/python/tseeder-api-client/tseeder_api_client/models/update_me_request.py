from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="UpdateMeRequest")



@_attrs_define
class UpdateMeRequest:
    """ Changes to the caller's own account. Fields left out stay as they are.

        Attributes:
            default_region (None | str | Unset): The region the caller's jobs prefer when a submission has no `regionHint`
                (1 to 32
                lowercase letters, digits and `-`, e.g. `eu`); null clears it.
     """

    default_region: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        default_region: None | str | Unset
        if isinstance(self.default_region, Unset):
            default_region = UNSET
        else:
            default_region = self.default_region


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if default_region is not UNSET:
            field_dict["defaultRegion"] = default_region

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_default_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        default_region = _parse_default_region(d.pop("defaultRegion", UNSET))


        update_me_request = cls(
            default_region=default_region,
        )


        update_me_request.additional_properties = d
        return update_me_request

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

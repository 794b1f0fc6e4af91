from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Setting")



@_attrs_define
class Setting:
    """ One runtime setting.

        Attributes:
            description (str): What it does, and what happens when it changes.
            key (str): `registration_open`, ... for flags; `plans.<plan>.<limit>` for plan limits.
            kind (str): `flag` or `planLimit`.
            value (Any): The value in force: a boolean for a flag; a whole number, or null for unlimited, for a
                plan limit.
            default (Any | Unset): A flag's value before any change (absent for plan limits).
            updated_at (datetime.datetime | Unset): When.
            updated_by (UUID | Unset): Who changed it last (absent when never changed, and for plan limits: see the
                history).
     """

    description: str
    key: str
    kind: str
    value: Any
    default: Any | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    updated_by: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        key = self.key

        kind = self.kind

        value = self.value

        default = self.default

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        updated_by: str | Unset = UNSET
        if not isinstance(self.updated_by, Unset):
            updated_by = str(self.updated_by)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "description": description,
            "key": key,
            "kind": kind,
            "value": value,
        })
        if default is not UNSET:
            field_dict["default"] = default
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at
        if updated_by is not UNSET:
            field_dict["updatedBy"] = updated_by

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        key = d.pop("key")

        kind = d.pop("kind")

        value = d.pop("value")

        default = d.pop("default", UNSET)

        _updated_at = d.pop("updatedAt", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at,  Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)




        _updated_by = d.pop("updatedBy", UNSET)
        updated_by: UUID | Unset
        if isinstance(_updated_by,  Unset):
            updated_by = UNSET
        else:
            updated_by = UUID(_updated_by)




        setting = cls(
            description=description,
            key=key,
            kind=kind,
            value=value,
            default=default,
            updated_at=updated_at,
            updated_by=updated_by,
        )


        setting.additional_properties = d
        return setting

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

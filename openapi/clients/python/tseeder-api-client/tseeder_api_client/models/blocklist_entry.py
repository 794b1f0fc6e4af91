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






T = TypeVar("T", bound="BlocklistEntry")



@_attrs_define
class BlocklistEntry:
    """ A blocked infohash.

        Attributes:
            created_at (datetime.datetime): When.
            infohash (str): 40 lowercase hex characters.
            reason (str): Why.
            added_by (UUID | Unset): Who added it.
     """

    created_at: datetime.datetime
    infohash: str
    reason: str
    added_by: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        infohash = self.infohash

        reason = self.reason

        added_by: str | Unset = UNSET
        if not isinstance(self.added_by, Unset):
            added_by = str(self.added_by)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "infohash": infohash,
            "reason": reason,
        })
        if added_by is not UNSET:
            field_dict["addedBy"] = added_by

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        infohash = d.pop("infohash")

        reason = d.pop("reason")

        _added_by = d.pop("addedBy", UNSET)
        added_by: UUID | Unset
        if isinstance(_added_by,  Unset):
            added_by = UNSET
        else:
            added_by = UUID(_added_by)




        blocklist_entry = cls(
            created_at=created_at,
            infohash=infohash,
            reason=reason,
            added_by=added_by,
        )


        blocklist_entry.additional_properties = d
        return blocklist_entry

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

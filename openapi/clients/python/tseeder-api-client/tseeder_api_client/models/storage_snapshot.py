from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="StorageSnapshot")



@_attrs_define
class StorageSnapshot:
    """ A storage snapshot.

        Attributes:
            captured_at (datetime.datetime): When it was taken.
            orphan_files (int): Orphan objects deleted in that sweep.
            total_bytes (int): Their bytes.
            total_files (int): Stored files.
     """

    captured_at: datetime.datetime
    orphan_files: int
    total_bytes: int
    total_files: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        captured_at = self.captured_at.isoformat()

        orphan_files = self.orphan_files

        total_bytes = self.total_bytes

        total_files = self.total_files


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "capturedAt": captured_at,
            "orphanFiles": orphan_files,
            "totalBytes": total_bytes,
            "totalFiles": total_files,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        captured_at = datetime.datetime.fromisoformat(d.pop("capturedAt"))




        orphan_files = d.pop("orphanFiles")

        total_bytes = d.pop("totalBytes")

        total_files = d.pop("totalFiles")

        storage_snapshot = cls(
            captured_at=captured_at,
            orphan_files=orphan_files,
            total_bytes=total_bytes,
            total_files=total_files,
        )


        storage_snapshot.additional_properties = d
        return storage_snapshot

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

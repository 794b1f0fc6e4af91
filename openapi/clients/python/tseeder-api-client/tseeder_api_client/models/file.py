from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from uuid import UUID






T = TypeVar("T", bound="File")



@_attrs_define
class File:
    """ A stored file of a job.

        Attributes:
            id (UUID): The id, for `/files/{id}/...`.
            path (str): Path inside the job, `/`-separated (`album/01.flac`).
            size_bytes (int): Size in bytes.
            mime_type (str | Unset): MIME type guessed from the extension; absent when unknown (downloads then say
                `application/octet-stream`).
     """

    id: UUID
    path: str
    size_bytes: int
    mime_type: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        path = self.path

        size_bytes = self.size_bytes

        mime_type = self.mime_type


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "path": path,
            "sizeBytes": size_bytes,
        })
        if mime_type is not UNSET:
            field_dict["mimeType"] = mime_type

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        path = d.pop("path")

        size_bytes = d.pop("sizeBytes")

        mime_type = d.pop("mimeType", UNSET)

        file = cls(
            id=id,
            path=path,
            size_bytes=size_bytes,
            mime_type=mime_type,
        )


        file.additional_properties = d
        return file

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..types import File, FileTypes
from ..types import UNSET, Unset
from io import BytesIO






T = TypeVar("T", bound="CreateJobFilesBody")



@_attrs_define
class CreateJobFilesBody:
    """ 
        Attributes:
            torrent (File): The `.torrent` file, at most 10 MiB.
            files (str | Unset): Download only these files: comma-separated indexes in the torrent's order, from 0 (`0,2`),
                each once. Absent or blank: every file. An index the torrent does not have is 400
                `invalid_selection`.
            name (str | Unset): Display name overriding the torrent's: 1 to 255 characters, no control characters, not
                blank.
            region_hint (str | Unset): Prefer agents of this region (1 to 32 of `a-z`, `0-9`, `-`); other regions are used
                when
                it has no capacity. Absent: any region.
     """

    torrent: File
    files: str | Unset = UNSET
    name: str | Unset = UNSET
    region_hint: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        torrent = self.torrent.to_tuple()


        files = self.files

        name = self.name

        region_hint = self.region_hint


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "torrent": torrent,
        })
        if files is not UNSET:
            field_dict["files"] = files
        if name is not UNSET:
            field_dict["name"] = name
        if region_hint is not UNSET:
            field_dict["regionHint"] = region_hint

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("torrent", self.torrent.to_tuple()))



        if not isinstance(self.files, Unset):
            files.append(("files", (None, str(self.files).encode(), "text/plain")))



        if not isinstance(self.name, Unset):
            files.append(("name", (None, str(self.name).encode(), "text/plain")))



        if not isinstance(self.region_hint, Unset):
            files.append(("regionHint", (None, str(self.region_hint).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        torrent = File(
             payload = BytesIO(d.pop("torrent"))
        )




        files = d.pop("files", UNSET)

        name = d.pop("name", UNSET)

        region_hint = d.pop("regionHint", UNSET)

        create_job_files_body = cls(
            torrent=torrent,
            files=files,
            name=name,
            region_hint=region_hint,
        )


        create_job_files_body.additional_properties = d
        return create_job_files_body

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CreateJobRequest")



@_attrs_define
class CreateJobRequest:
    """ Submit a magnet link.

        Attributes:
            magnet_uri (str): `magnet:?xt=urn:btih:<infohash>`: one `xt=urn:btih:` with 40 hex or 32 base32
                characters, other parameters in any order around it, in printable ASCII (percent-encode
                the rest); at most 8192 characters.
            files (list[int] | None | Unset): Download only these files: indexes in the torrent's order, from 0. Checked
                when the
                metadata arrives (a bad index then fails the job with `invalid_selection`). Absent: every
                file.
            name (None | str | Unset): Display name overriding the magnet's `dn=`: 1 to 255 characters, no control
                characters,
                not blank.
            region_hint (None | str | Unset): Prefer agents of this region (1 to 32 of `a-z`, `0-9`, `-`; 400
                `invalid_region`
                otherwise); other regions are used when it has no capacity. Absent: any region.
     """

    magnet_uri: str
    files: list[int] | None | Unset = UNSET
    name: None | str | Unset = UNSET
    region_hint: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        magnet_uri = self.magnet_uri

        files: list[int] | None | Unset
        if isinstance(self.files, Unset):
            files = UNSET
        elif isinstance(self.files, list):
            files = self.files


        else:
            files = self.files

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        region_hint: None | str | Unset
        if isinstance(self.region_hint, Unset):
            region_hint = UNSET
        else:
            region_hint = self.region_hint


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "magnetUri": magnet_uri,
        })
        if files is not UNSET:
            field_dict["files"] = files
        if name is not UNSET:
            field_dict["name"] = name
        if region_hint is not UNSET:
            field_dict["regionHint"] = region_hint

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        magnet_uri = d.pop("magnetUri")

        def _parse_files(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                files_type_0 = cast(list[int], data)

                return files_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        files = _parse_files(d.pop("files", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_region_hint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region_hint = _parse_region_hint(d.pop("regionHint", UNSET))


        create_job_request = cls(
            magnet_uri=magnet_uri,
            files=files,
            name=name,
            region_hint=region_hint,
        )


        create_job_request.additional_properties = d
        return create_job_request

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

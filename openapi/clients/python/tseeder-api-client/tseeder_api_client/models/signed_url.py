from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="SignedUrl")



@_attrs_define
class SignedUrl:
    """ A link that downloads the file without credentials until it expires.

        Attributes:
            expires_at (datetime.datetime): When the link stops working.
            file_id (UUID): The file.
            filename (str): The file's name (the last segment of its path).
            url (str): An absolute URL: this API's `/api/v1/files/{id}/stream?expires=...&token=...`, or a URL
                presigned by the object store.
     """

    expires_at: datetime.datetime
    file_id: UUID
    filename: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at.isoformat()

        file_id = str(self.file_id)

        filename = self.filename

        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "expiresAt": expires_at,
            "fileId": file_id,
            "filename": filename,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_at = datetime.datetime.fromisoformat(d.pop("expiresAt"))




        file_id = UUID(d.pop("fileId"))




        filename = d.pop("filename")

        url = d.pop("url")

        signed_url = cls(
            expires_at=expires_at,
            file_id=file_id,
            filename=filename,
            url=url,
        )


        signed_url.additional_properties = d
        return signed_url

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

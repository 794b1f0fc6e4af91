from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.expired_file import ExpiredFile





T = TypeVar("T", bound="RetentionDryRun")



@_attrs_define
class RetentionDryRun:
    """ What a sweep would delete now.

        Attributes:
            bytes_ (int): Their bytes.
            examined (int): Files the policy was asked about.
            file_count (int): Files it would delete.
            files (list[ExpiredFile]): The first files (at most [`DryRunView::LISTED`]).
            kept_on_error (int): Files it would keep because the policy failed on their batch.
            error (str | Unset): The policy's first failure.
     """

    bytes_: int
    examined: int
    file_count: int
    files: list[ExpiredFile]
    kept_on_error: int
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.expired_file import ExpiredFile # noqa: PLC0415
        bytes_ = self.bytes_

        examined = self.examined

        file_count = self.file_count

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)



        kept_on_error = self.kept_on_error

        error = self.error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "bytes": bytes_,
            "examined": examined,
            "fileCount": file_count,
            "files": files,
            "keptOnError": kept_on_error,
        })
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.expired_file import ExpiredFile # noqa: PLC0415
        d = dict(src_dict)
        bytes_ = d.pop("bytes")

        examined = d.pop("examined")

        file_count = d.pop("fileCount")

        files = []
        _files = d.pop("files")
        for files_item_data in (_files):
            files_item = ExpiredFile.from_dict(files_item_data)



            files.append(files_item)


        kept_on_error = d.pop("keptOnError")

        error = d.pop("error", UNSET)

        retention_dry_run = cls(
            bytes_=bytes_,
            examined=examined,
            file_count=file_count,
            files=files,
            kept_on_error=kept_on_error,
            error=error,
        )


        retention_dry_run.additional_properties = d
        return retention_dry_run

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

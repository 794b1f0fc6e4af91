from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.preview_cost import PreviewCost
  from ..models.preview_file import PreviewFile





T = TypeVar("T", bound="JobPreview")



@_attrs_define
class JobPreview:
    """ What a submission would download and cost. Nothing was created.

        Attributes:
            cost (PreviewCost): What the whole torrent would cost against the caller's plan.
            files (list[PreviewFile]): Every file, in the torrent's order.
            infohash (str): The torrent's infohash, 40 lowercase hex characters.
            name (str): The torrent's name.
            source_kind (str): `magnet` or `torrent`.
            total_bytes (int): The sum of the file sizes.
     """

    cost: PreviewCost
    files: list[PreviewFile]
    infohash: str
    name: str
    source_kind: str
    total_bytes: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.preview_cost import PreviewCost # noqa: PLC0415
        from ..models.preview_file import PreviewFile # noqa: PLC0415
        cost = self.cost.to_dict()

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)



        infohash = self.infohash

        name = self.name

        source_kind = self.source_kind

        total_bytes = self.total_bytes


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "cost": cost,
            "files": files,
            "infohash": infohash,
            "name": name,
            "sourceKind": source_kind,
            "totalBytes": total_bytes,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preview_cost import PreviewCost # noqa: PLC0415
        from ..models.preview_file import PreviewFile # noqa: PLC0415
        d = dict(src_dict)
        cost = PreviewCost.from_dict(d.pop("cost"))




        files = []
        _files = d.pop("files")
        for files_item_data in (_files):
            files_item = PreviewFile.from_dict(files_item_data)



            files.append(files_item)


        infohash = d.pop("infohash")

        name = d.pop("name")

        source_kind = d.pop("sourceKind")

        total_bytes = d.pop("totalBytes")

        job_preview = cls(
            cost=cost,
            files=files,
            infohash=infohash,
            name=name,
            source_kind=source_kind,
            total_bytes=total_bytes,
        )


        job_preview.additional_properties = d
        return job_preview

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

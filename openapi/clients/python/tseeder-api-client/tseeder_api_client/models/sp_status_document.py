from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.sp_page import SpPage
  from ..models.sp_status import SpStatus





T = TypeVar("T", bound="SpStatusDocument")



@_attrs_define
class SpStatusDocument:
    """ Statuspage's `status.json`: the page and its indicator.

        Attributes:
            page (SpPage): Statuspage's `page` object.
            status (SpStatus): Statuspage's `status` object.
     """

    page: SpPage
    status: SpStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.sp_page import SpPage # noqa: PLC0415
        from ..models.sp_status import SpStatus # noqa: PLC0415
        page = self.page.to_dict()

        status = self.status.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "page": page,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sp_page import SpPage # noqa: PLC0415
        from ..models.sp_status import SpStatus # noqa: PLC0415
        d = dict(src_dict)
        page = SpPage.from_dict(d.pop("page"))




        status = SpStatus.from_dict(d.pop("status"))




        sp_status_document = cls(
            page=page,
            status=status,
        )


        sp_status_document.additional_properties = d
        return sp_status_document

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

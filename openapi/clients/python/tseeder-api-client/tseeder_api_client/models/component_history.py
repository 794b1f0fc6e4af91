from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.status_day import StatusDay
  from ..models.uptime import Uptime





T = TypeVar("T", bound="ComponentHistory")



@_attrs_define
class ComponentHistory:
    """ One component's history.

        Attributes:
            days (list[StatusDay]): One entry per day, oldest first.
            id (str): Its id.
            name (str): Its public name.
            uptime (Uptime): Uptime in percent over four windows; a window with no data is absent.
     """

    days: list[StatusDay]
    id: str
    name: str
    uptime: Uptime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.status_day import StatusDay # noqa: PLC0415
        from ..models.uptime import Uptime # noqa: PLC0415
        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)



        id = self.id

        name = self.name

        uptime = self.uptime.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "days": days,
            "id": id,
            "name": name,
            "uptime": uptime,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.status_day import StatusDay # noqa: PLC0415
        from ..models.uptime import Uptime # noqa: PLC0415
        d = dict(src_dict)
        days = []
        _days = d.pop("days")
        for days_item_data in (_days):
            days_item = StatusDay.from_dict(days_item_data)



            days.append(days_item)


        id = d.pop("id")

        name = d.pop("name")

        uptime = Uptime.from_dict(d.pop("uptime"))




        component_history = cls(
            days=days,
            id=id,
            name=name,
            uptime=uptime,
        )


        component_history.additional_properties = d
        return component_history

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.sp_component_status import SpComponentStatus
from typing import cast
import datetime






T = TypeVar("T", bound="SpComponent")



@_attrs_define
class SpComponent:
    """ Statuspage's component.

        Attributes:
            description (str): Why it is in this state.
            id (str): The component's id.
            name (str): Its name.
            position (int): Its place on the page, from 1.
            status (SpComponentStatus): A component's state in Statuspage's words.
            updated_at (datetime.datetime): When it was last sampled (the page's time before the first sample).
     """

    description: str
    id: str
    name: str
    position: int
    status: SpComponentStatus
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        id = self.id

        name = self.name

        position = self.position

        status = self.status.value

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "description": description,
            "id": id,
            "name": name,
            "position": position,
            "status": status,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        id = d.pop("id")

        name = d.pop("name")

        position = d.pop("position")

        status = SpComponentStatus(d.pop("status"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        sp_component = cls(
            description=description,
            id=id,
            name=name,
            position=position,
            status=status,
            updated_at=updated_at,
        )


        sp_component.additional_properties = d
        return sp_component

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

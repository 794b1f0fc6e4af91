from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.sp_maintenance_status import SpMaintenanceStatus
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="SpScheduledMaintenance")



@_attrs_define
class SpScheduledMaintenance:
    """ Statuspage's scheduled maintenance.

        Attributes:
            components (list[str]): The components under maintenance.
            description (str): What is done.
            id (UUID): Its id.
            name (str): The title.
            scheduled_for (datetime.datetime): When it starts.
            scheduled_until (datetime.datetime): When it ends.
            status (SpMaintenanceStatus): Where a maintenance window stands.
     """

    components: list[str]
    description: str
    id: UUID
    name: str
    scheduled_for: datetime.datetime
    scheduled_until: datetime.datetime
    status: SpMaintenanceStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        components = self.components



        description = self.description

        id = str(self.id)

        name = self.name

        scheduled_for = self.scheduled_for.isoformat()

        scheduled_until = self.scheduled_until.isoformat()

        status = self.status.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "components": components,
            "description": description,
            "id": id,
            "name": name,
            "scheduled_for": scheduled_for,
            "scheduled_until": scheduled_until,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        components = cast(list[str], d.pop("components"))


        description = d.pop("description")

        id = UUID(d.pop("id"))




        name = d.pop("name")

        scheduled_for = datetime.datetime.fromisoformat(d.pop("scheduled_for"))




        scheduled_until = datetime.datetime.fromisoformat(d.pop("scheduled_until"))




        status = SpMaintenanceStatus(d.pop("status"))




        sp_scheduled_maintenance = cls(
            components=components,
            description=description,
            id=id,
            name=name,
            scheduled_for=scheduled_for,
            scheduled_until=scheduled_until,
            status=status,
        )


        sp_scheduled_maintenance.additional_properties = d
        return sp_scheduled_maintenance

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

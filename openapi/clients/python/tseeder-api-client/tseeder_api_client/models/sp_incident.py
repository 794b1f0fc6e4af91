from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.incident_impact import IncidentImpact
from ..models.incident_status import IncidentStatus
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.sp_incident_update import SpIncidentUpdate





T = TypeVar("T", bound="SpIncident")



@_attrs_define
class SpIncident:
    """ Statuspage's incident.

        Attributes:
            created_at (datetime.datetime): When it was opened.
            id (UUID): Its id.
            impact (IncidentImpact): An incident's impact.
            incident_updates (list[SpIncidentUpdate]): Its updates, newest first (Statuspage's order).
            name (str): The title.
            status (IncidentStatus): Where an incident stands.
            updated_at (datetime.datetime): When it last changed.
            resolved_at (datetime.datetime | Unset): When it was resolved; absent while open.
     """

    created_at: datetime.datetime
    id: UUID
    impact: IncidentImpact
    incident_updates: list[SpIncidentUpdate]
    name: str
    status: IncidentStatus
    updated_at: datetime.datetime
    resolved_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.sp_incident_update import SpIncidentUpdate # noqa: PLC0415
        created_at = self.created_at.isoformat()

        id = str(self.id)

        impact = self.impact.value

        incident_updates = []
        for incident_updates_item_data in self.incident_updates:
            incident_updates_item = incident_updates_item_data.to_dict()
            incident_updates.append(incident_updates_item)



        name = self.name

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        resolved_at: str | Unset = UNSET
        if not isinstance(self.resolved_at, Unset):
            resolved_at = self.resolved_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created_at": created_at,
            "id": id,
            "impact": impact,
            "incident_updates": incident_updates,
            "name": name,
            "status": status,
            "updated_at": updated_at,
        })
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sp_incident_update import SpIncidentUpdate # noqa: PLC0415
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        impact = IncidentImpact(d.pop("impact"))




        incident_updates = []
        _incident_updates = d.pop("incident_updates")
        for incident_updates_item_data in (_incident_updates):
            incident_updates_item = SpIncidentUpdate.from_dict(incident_updates_item_data)



            incident_updates.append(incident_updates_item)


        name = d.pop("name")

        status = IncidentStatus(d.pop("status"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        _resolved_at = d.pop("resolved_at", UNSET)
        resolved_at: datetime.datetime | Unset
        if isinstance(_resolved_at,  Unset):
            resolved_at = UNSET
        else:
            resolved_at = datetime.datetime.fromisoformat(_resolved_at)




        sp_incident = cls(
            created_at=created_at,
            id=id,
            impact=impact,
            incident_updates=incident_updates,
            name=name,
            status=status,
            updated_at=updated_at,
            resolved_at=resolved_at,
        )


        sp_incident.additional_properties = d
        return sp_incident

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

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
  from ..models.incident_update import IncidentUpdate





T = TypeVar("T", bound="Incident")



@_attrs_define
class Incident:
    """ An incident with its updates.

        Attributes:
            components (list[str]): The components it affects.
            created_at (datetime.datetime): When it was opened.
            id (UUID): Its id.
            impact (IncidentImpact): An incident's impact.
            status (IncidentStatus): Where an incident stands.
            title (str): The title.
            updates (list[IncidentUpdate]): Its updates, oldest first.
            resolved_at (datetime.datetime | Unset): When it was resolved; absent while open.
     """

    components: list[str]
    created_at: datetime.datetime
    id: UUID
    impact: IncidentImpact
    status: IncidentStatus
    title: str
    updates: list[IncidentUpdate]
    resolved_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.incident_update import IncidentUpdate # noqa: PLC0415
        components = self.components



        created_at = self.created_at.isoformat()

        id = str(self.id)

        impact = self.impact.value

        status = self.status.value

        title = self.title

        updates = []
        for updates_item_data in self.updates:
            updates_item = updates_item_data.to_dict()
            updates.append(updates_item)



        resolved_at: str | Unset = UNSET
        if not isinstance(self.resolved_at, Unset):
            resolved_at = self.resolved_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "components": components,
            "createdAt": created_at,
            "id": id,
            "impact": impact,
            "status": status,
            "title": title,
            "updates": updates,
        })
        if resolved_at is not UNSET:
            field_dict["resolvedAt"] = resolved_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.incident_update import IncidentUpdate # noqa: PLC0415
        d = dict(src_dict)
        components = cast(list[str], d.pop("components"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = UUID(d.pop("id"))




        impact = IncidentImpact(d.pop("impact"))




        status = IncidentStatus(d.pop("status"))




        title = d.pop("title")

        updates = []
        _updates = d.pop("updates")
        for updates_item_data in (_updates):
            updates_item = IncidentUpdate.from_dict(updates_item_data)



            updates.append(updates_item)


        _resolved_at = d.pop("resolvedAt", UNSET)
        resolved_at: datetime.datetime | Unset
        if isinstance(_resolved_at,  Unset):
            resolved_at = UNSET
        else:
            resolved_at = datetime.datetime.fromisoformat(_resolved_at)




        incident = cls(
            components=components,
            created_at=created_at,
            id=id,
            impact=impact,
            status=status,
            title=title,
            updates=updates,
            resolved_at=resolved_at,
        )


        incident.additional_properties = d
        return incident

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

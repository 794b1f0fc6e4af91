from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.incident_status import IncidentStatus
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="SpIncidentUpdate")



@_attrs_define
class SpIncidentUpdate:
    """ Statuspage's incident update.

        Attributes:
            body (str): What it says.
            created_at (datetime.datetime): When it was posted.
            id (UUID): Its id.
            status (IncidentStatus): Where an incident stands.
            updated_at (datetime.datetime): The same as `created_at` (updates are not edited).
     """

    body: str
    created_at: datetime.datetime
    id: UUID
    status: IncidentStatus
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        body = self.body

        created_at = self.created_at.isoformat()

        id = str(self.id)

        status = self.status.value

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "created_at": created_at,
            "id": id,
            "status": status,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = UUID(d.pop("id"))




        status = IncidentStatus(d.pop("status"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        sp_incident_update = cls(
            body=body,
            created_at=created_at,
            id=id,
            status=status,
            updated_at=updated_at,
        )


        sp_incident_update.additional_properties = d
        return sp_incident_update

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

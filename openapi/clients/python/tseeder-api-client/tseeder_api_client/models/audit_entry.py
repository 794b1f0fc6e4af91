from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="AuditEntry")



@_attrs_define
class AuditEntry:
    """ An audit log entry.

        Attributes:
            action (str): Dotted action, e.g. `job.created`.
            created_at (datetime.datetime): When.
            id (str): Row id.
            metadata (Any): Details (reasons, old and new values).
            target_type (str): Kind of object, e.g. `job`.
            actor_id (UUID | Unset): Who acted (absent for the system).
            ip (str | Unset): Client address.
            target_id (str | Unset): The object's id.
     """

    action: str
    created_at: datetime.datetime
    id: str
    metadata: Any
    target_type: str
    actor_id: UUID | Unset = UNSET
    ip: str | Unset = UNSET
    target_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        action = self.action

        created_at = self.created_at.isoformat()

        id = self.id

        metadata = self.metadata

        target_type = self.target_type

        actor_id: str | Unset = UNSET
        if not isinstance(self.actor_id, Unset):
            actor_id = str(self.actor_id)

        ip = self.ip

        target_id = self.target_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "action": action,
            "createdAt": created_at,
            "id": id,
            "metadata": metadata,
            "targetType": target_type,
        })
        if actor_id is not UNSET:
            field_dict["actorId"] = actor_id
        if ip is not UNSET:
            field_dict["ip"] = ip
        if target_id is not UNSET:
            field_dict["targetId"] = target_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        metadata = d.pop("metadata")

        target_type = d.pop("targetType")

        _actor_id = d.pop("actorId", UNSET)
        actor_id: UUID | Unset
        if isinstance(_actor_id,  Unset):
            actor_id = UNSET
        else:
            actor_id = UUID(_actor_id)




        ip = d.pop("ip", UNSET)

        target_id = d.pop("targetId", UNSET)

        audit_entry = cls(
            action=action,
            created_at=created_at,
            id=id,
            metadata=metadata,
            target_type=target_type,
            actor_id=actor_id,
            ip=ip,
            target_id=target_id,
        )


        audit_entry.additional_properties = d
        return audit_entry

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

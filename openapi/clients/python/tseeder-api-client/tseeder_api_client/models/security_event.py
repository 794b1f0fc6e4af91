from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.severity import Severity
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="SecurityEvent")



@_attrs_define
class SecurityEvent:
    """ A security-relevant event.

        Attributes:
            created_at (datetime.datetime): When.
            kind (str): Dotted kind, e.g. `auth.login_failed`.
            payload (Any): Details.
            severity (Severity): How bad a security event is.
            actor_id (UUID | Unset): The user involved.
            ip (str | Unset): Client address.
     """

    created_at: datetime.datetime
    kind: str
    payload: Any
    severity: Severity
    actor_id: UUID | Unset = UNSET
    ip: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        kind = self.kind

        payload = self.payload

        severity = self.severity.value

        actor_id: str | Unset = UNSET
        if not isinstance(self.actor_id, Unset):
            actor_id = str(self.actor_id)

        ip = self.ip


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "kind": kind,
            "payload": payload,
            "severity": severity,
        })
        if actor_id is not UNSET:
            field_dict["actorId"] = actor_id
        if ip is not UNSET:
            field_dict["ip"] = ip

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        kind = d.pop("kind")

        payload = d.pop("payload")

        severity = Severity(d.pop("severity"))




        _actor_id = d.pop("actorId", UNSET)
        actor_id: UUID | Unset
        if isinstance(_actor_id,  Unset):
            actor_id = UNSET
        else:
            actor_id = UUID(_actor_id)




        ip = d.pop("ip", UNSET)

        security_event = cls(
            created_at=created_at,
            kind=kind,
            payload=payload,
            severity=severity,
            actor_id=actor_id,
            ip=ip,
        )


        security_event.additional_properties = d
        return security_event

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

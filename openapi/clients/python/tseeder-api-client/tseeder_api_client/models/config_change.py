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






T = TypeVar("T", bound="ConfigChange")



@_attrs_define
class ConfigChange:
    """ One change of a setting.

        Attributes:
            created_at (datetime.datetime): When.
            id (UUID): The id.
            key (str): The setting.
            new_value (Any): The value after, as JSON.
            old_value (Any): The value before, as JSON.
            reason (str): Why.
            changed_by (UUID | Unset): Who changed it (absent: the system).
            ticket_id (str | Unset): The ticket, if one was given.
     """

    created_at: datetime.datetime
    id: UUID
    key: str
    new_value: Any
    old_value: Any
    reason: str
    changed_by: UUID | Unset = UNSET
    ticket_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = str(self.id)

        key = self.key

        new_value = self.new_value

        old_value = self.old_value

        reason = self.reason

        changed_by: str | Unset = UNSET
        if not isinstance(self.changed_by, Unset):
            changed_by = str(self.changed_by)

        ticket_id = self.ticket_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "id": id,
            "key": key,
            "newValue": new_value,
            "oldValue": old_value,
            "reason": reason,
        })
        if changed_by is not UNSET:
            field_dict["changedBy"] = changed_by
        if ticket_id is not UNSET:
            field_dict["ticketId"] = ticket_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = UUID(d.pop("id"))




        key = d.pop("key")

        new_value = d.pop("newValue")

        old_value = d.pop("oldValue")

        reason = d.pop("reason")

        _changed_by = d.pop("changedBy", UNSET)
        changed_by: UUID | Unset
        if isinstance(_changed_by,  Unset):
            changed_by = UNSET
        else:
            changed_by = UUID(_changed_by)




        ticket_id = d.pop("ticketId", UNSET)

        config_change = cls(
            created_at=created_at,
            id=id,
            key=key,
            new_value=new_value,
            old_value=old_value,
            reason=reason,
            changed_by=changed_by,
            ticket_id=ticket_id,
        )


        config_change.additional_properties = d
        return config_change

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

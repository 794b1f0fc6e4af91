from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="SetSettingRequest")



@_attrs_define
class SetSettingRequest:
    """ A new value for a setting, with why.

        Attributes:
            reason (str): Why, 10 to 1000 characters once surrounding blanks are trimmed (kept in the audit log).
            value (Any): A boolean for a flag; a whole number, or null for unlimited, for a plan limit. Required:
                null must be sent, not left out.
            ticket_id (None | str | Unset): A support ticket id, up to 64 printable characters, kept in the audit log beside
                the
                reason.
     """

    reason: str
    value: Any
    ticket_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        value = self.value

        ticket_id: None | str | Unset
        if isinstance(self.ticket_id, Unset):
            ticket_id = UNSET
        else:
            ticket_id = self.ticket_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "reason": reason,
            "value": value,
        })
        if ticket_id is not UNSET:
            field_dict["ticketId"] = ticket_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        value = d.pop("value")

        def _parse_ticket_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ticket_id = _parse_ticket_id(d.pop("ticketId", UNSET))


        set_setting_request = cls(
            reason=reason,
            value=value,
            ticket_id=ticket_id,
        )


        set_setting_request.additional_properties = d
        return set_setting_request

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

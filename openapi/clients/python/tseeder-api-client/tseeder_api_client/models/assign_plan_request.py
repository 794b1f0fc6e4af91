from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AssignPlanRequest")



@_attrs_define
class AssignPlanRequest:
    """ Put a user on a plan.

        Attributes:
            plan_id (str): The plan id (`free`, `pro`, ...).
            reason (str): Why, 10 to 1000 characters once surrounding blanks are trimmed (kept in the audit log).
            ticket_id (None | str | Unset): A support ticket id, up to 64 printable characters, kept in the audit log beside
                the
                reason.
     """

    plan_id: str
    reason: str
    ticket_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        plan_id = self.plan_id

        reason = self.reason

        ticket_id: None | str | Unset
        if isinstance(self.ticket_id, Unset):
            ticket_id = UNSET
        else:
            ticket_id = self.ticket_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "planId": plan_id,
            "reason": reason,
        })
        if ticket_id is not UNSET:
            field_dict["ticketId"] = ticket_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        plan_id = d.pop("planId")

        reason = d.pop("reason")

        def _parse_ticket_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ticket_id = _parse_ticket_id(d.pop("ticketId", UNSET))


        assign_plan_request = cls(
            plan_id=plan_id,
            reason=reason,
            ticket_id=ticket_id,
        )


        assign_plan_request.additional_properties = d
        return assign_plan_request

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

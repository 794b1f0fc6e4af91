from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.subscription_status import SubscriptionStatus
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Subscription")



@_attrs_define
class Subscription:
    """ An organization's subscription, as the newest provider event left it.

        Attributes:
            plan (str): The plan it pays for.
            status (SubscriptionStatus): A subscription's state at the payment provider (Stripe's names).
            current_period_end (datetime.datetime | Unset): When the paid period ends: the renewal date.
            grace_until (datetime.datetime | Unset): After a failed payment: until when the plan stays despite it
                (`billing.grace_days`).
     """

    plan: str
    status: SubscriptionStatus
    current_period_end: datetime.datetime | Unset = UNSET
    grace_until: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        plan = self.plan

        status = self.status.value

        current_period_end: str | Unset = UNSET
        if not isinstance(self.current_period_end, Unset):
            current_period_end = self.current_period_end.isoformat()

        grace_until: str | Unset = UNSET
        if not isinstance(self.grace_until, Unset):
            grace_until = self.grace_until.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "plan": plan,
            "status": status,
        })
        if current_period_end is not UNSET:
            field_dict["currentPeriodEnd"] = current_period_end
        if grace_until is not UNSET:
            field_dict["graceUntil"] = grace_until

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        plan = d.pop("plan")

        status = SubscriptionStatus(d.pop("status"))




        _current_period_end = d.pop("currentPeriodEnd", UNSET)
        current_period_end: datetime.datetime | Unset
        if isinstance(_current_period_end,  Unset):
            current_period_end = UNSET
        else:
            current_period_end = datetime.datetime.fromisoformat(_current_period_end)




        _grace_until = d.pop("graceUntil", UNSET)
        grace_until: datetime.datetime | Unset
        if isinstance(_grace_until,  Unset):
            grace_until = UNSET
        else:
            grace_until = datetime.datetime.fromisoformat(_grace_until)




        subscription = cls(
            plan=plan,
            status=status,
            current_period_end=current_period_end,
            grace_until=grace_until,
        )


        subscription.additional_properties = d
        return subscription

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.org import Org
  from ..models.plan import Plan
  from ..models.subscription import Subscription





T = TypeVar("T", bound="Billing")



@_attrs_define
class Billing:
    """ The billing of the organization a request acts in.

        Attributes:
            can_manage (bool): Whether the caller may buy or manage its plan (owners and admins).
            enabled (bool): Whether this server takes payments (always `true`: otherwise the answer is 404
                `billing_disabled`).
            org (Org): An organization.
            plans_for_sale (list[str]): The plans that can be bought (`POST /billing/checkout`).
            plan (Plan | Unset): A subscription plan. Limits are absent when unlimited.
            subscription (Subscription | Unset): An organization's subscription, as the newest provider event left it.
     """

    can_manage: bool
    enabled: bool
    org: Org
    plans_for_sale: list[str]
    plan: Plan | Unset = UNSET
    subscription: Subscription | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.org import Org # noqa: PLC0415
        from ..models.plan import Plan # noqa: PLC0415
        from ..models.subscription import Subscription # noqa: PLC0415
        can_manage = self.can_manage

        enabled = self.enabled

        org = self.org.to_dict()

        plans_for_sale = self.plans_for_sale



        plan: dict[str, Any] | Unset = UNSET
        if not isinstance(self.plan, Unset):
            plan = self.plan.to_dict()

        subscription: dict[str, Any] | Unset = UNSET
        if not isinstance(self.subscription, Unset):
            subscription = self.subscription.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "canManage": can_manage,
            "enabled": enabled,
            "org": org,
            "plansForSale": plans_for_sale,
        })
        if plan is not UNSET:
            field_dict["plan"] = plan
        if subscription is not UNSET:
            field_dict["subscription"] = subscription

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.org import Org # noqa: PLC0415
        from ..models.plan import Plan # noqa: PLC0415
        from ..models.subscription import Subscription # noqa: PLC0415
        d = dict(src_dict)
        can_manage = d.pop("canManage")

        enabled = d.pop("enabled")

        org = Org.from_dict(d.pop("org"))




        plans_for_sale = cast(list[str], d.pop("plansForSale"))


        _plan = d.pop("plan", UNSET)
        plan: Plan | Unset
        if isinstance(_plan,  Unset):
            plan = UNSET
        else:
            plan = Plan.from_dict(_plan)




        _subscription = d.pop("subscription", UNSET)
        subscription: Subscription | Unset
        if isinstance(_subscription,  Unset):
            subscription = UNSET
        else:
            subscription = Subscription.from_dict(_subscription)




        billing = cls(
            can_manage=can_manage,
            enabled=enabled,
            org=org,
            plans_for_sale=plans_for_sale,
            plan=plan,
            subscription=subscription,
        )


        billing.additional_properties = d
        return billing

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

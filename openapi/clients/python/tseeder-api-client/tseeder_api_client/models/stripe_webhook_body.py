from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.stripe_webhook_body_data import StripeWebhookBodyData





T = TypeVar("T", bound="StripeWebhookBody")



@_attrs_define
class StripeWebhookBody:
    """ A Stripe event, exactly as Stripe sends it. Read: `checkout.session.completed`, `customer.subscription.created`,
    `.updated` and `.deleted`, and `invoice.payment_failed`; other types are acknowledged and ignored.

        Attributes:
            created (int):
            data (StripeWebhookBodyData): `object`: the checkout session, subscription or invoice the event is about.
            id (str):
            type_ (str):
     """

    created: int
    data: StripeWebhookBodyData
    id: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.stripe_webhook_body_data import StripeWebhookBodyData # noqa: PLC0415
        created = self.created

        data = self.data.to_dict()

        id = self.id

        type_ = self.type_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created": created,
            "data": data,
            "id": id,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stripe_webhook_body_data import StripeWebhookBodyData # noqa: PLC0415
        d = dict(src_dict)
        created = d.pop("created")

        data = StripeWebhookBodyData.from_dict(d.pop("data"))




        id = d.pop("id")

        type_ = d.pop("type")

        stripe_webhook_body = cls(
            created=created,
            data=data,
            id=id,
            type_=type_,
        )


        stripe_webhook_body.additional_properties = d
        return stripe_webhook_body

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.policy import Policy





T = TypeVar("T", bound="PolicyEnvelope")



@_attrs_define
class PolicyEnvelope:
    """ The swapped-in plugin.

        Attributes:
            policy (Policy): One policy: native or plugin, the plugin's file and hash, and its counters since start.
     """

    policy: Policy
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.policy import Policy # noqa: PLC0415
        policy = self.policy.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "policy": policy,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy import Policy # noqa: PLC0415
        d = dict(src_dict)
        policy = Policy.from_dict(d.pop("policy"))




        policy_envelope = cls(
            policy=policy,
        )


        policy_envelope.additional_properties = d
        return policy_envelope

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

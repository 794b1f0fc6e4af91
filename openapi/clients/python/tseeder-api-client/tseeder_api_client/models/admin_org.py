from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.org import Org





T = TypeVar("T", bound="AdminOrg")



@_attrs_define
class AdminOrg:
    """ An organization as operators list it.

        Attributes:
            members (int): How many members it has.
            org (Org): An organization.
            owner_email (str): The email of its longest-standing owner.
     """

    members: int
    org: Org
    owner_email: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.org import Org # noqa: PLC0415
        members = self.members

        org = self.org.to_dict()

        owner_email = self.owner_email


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "members": members,
            "org": org,
            "ownerEmail": owner_email,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.org import Org # noqa: PLC0415
        d = dict(src_dict)
        members = d.pop("members")

        org = Org.from_dict(d.pop("org"))




        owner_email = d.pop("ownerEmail")

        admin_org = cls(
            members=members,
            org=org,
            owner_email=owner_email,
        )


        admin_org.additional_properties = d
        return admin_org

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

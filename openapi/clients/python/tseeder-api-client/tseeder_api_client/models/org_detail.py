from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.org_role import OrgRole
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.org import Org
  from ..models.org_member import OrgMember





T = TypeVar("T", bound="OrgDetail")



@_attrs_define
class OrgDetail:
    """ An organization with its members and the caller's role.

        Attributes:
            members (list[OrgMember]): Every member, owners first, then by join time.
            org (Org): An organization.
            role (OrgRole | Unset): A member's role in an organization, lowest first.
     """

    members: list[OrgMember]
    org: Org
    role: OrgRole | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.org import Org # noqa: PLC0415
        from ..models.org_member import OrgMember # noqa: PLC0415
        members = []
        for members_item_data in self.members:
            members_item = members_item_data.to_dict()
            members.append(members_item)



        org = self.org.to_dict()

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "members": members,
            "org": org,
        })
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.org import Org # noqa: PLC0415
        from ..models.org_member import OrgMember # noqa: PLC0415
        d = dict(src_dict)
        members = []
        _members = d.pop("members")
        for members_item_data in (_members):
            members_item = OrgMember.from_dict(members_item_data)



            members.append(members_item)


        org = Org.from_dict(d.pop("org"))




        _role = d.pop("role", UNSET)
        role: OrgRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = OrgRole(_role)




        org_detail = cls(
            members=members,
            org=org,
            role=role,
        )


        org_detail.additional_properties = d
        return org_detail

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

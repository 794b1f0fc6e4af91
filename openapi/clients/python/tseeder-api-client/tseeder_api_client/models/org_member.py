from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.org_role import OrgRole
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="OrgMember")



@_attrs_define
class OrgMember:
    """ A member of an organization.

        Attributes:
            email (str): Their email address.
            joined_at (datetime.datetime): When they joined.
            role (OrgRole): A member's role in an organization, lowest first.
            user_id (UUID): The user's id.
     """

    email: str
    joined_at: datetime.datetime
    role: OrgRole
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        joined_at = self.joined_at.isoformat()

        role = self.role.value

        user_id = str(self.user_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "email": email,
            "joinedAt": joined_at,
            "role": role,
            "userId": user_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        joined_at = datetime.datetime.fromisoformat(d.pop("joinedAt"))




        role = OrgRole(d.pop("role"))




        user_id = UUID(d.pop("userId"))




        org_member = cls(
            email=email,
            joined_at=joined_at,
            role=role,
            user_id=user_id,
        )


        org_member.additional_properties = d
        return org_member

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

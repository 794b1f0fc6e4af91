from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.org_role import OrgRole
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="InvitePreview")



@_attrs_define
class InvitePreview:
    """ What an invite link offers.

        Attributes:
            email (str): The address it was sent to: only the account with this confirmed address may accept.
            expires_at (datetime.datetime): When the link stops working.
            org_id (UUID): The organization it joins: send it back as `orgId` to accept.
            org_name (str): The organization's name.
            org_slug (str): The organization's slug.
            role (OrgRole): A member's role in an organization, lowest first.
            inviter_email (str | Unset): Who sent it; absent when that account is gone.
     """

    email: str
    expires_at: datetime.datetime
    org_id: UUID
    org_name: str
    org_slug: str
    role: OrgRole
    inviter_email: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        expires_at = self.expires_at.isoformat()

        org_id = str(self.org_id)

        org_name = self.org_name

        org_slug = self.org_slug

        role = self.role.value

        inviter_email = self.inviter_email


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "email": email,
            "expiresAt": expires_at,
            "orgId": org_id,
            "orgName": org_name,
            "orgSlug": org_slug,
            "role": role,
        })
        if inviter_email is not UNSET:
            field_dict["inviterEmail"] = inviter_email

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        expires_at = datetime.datetime.fromisoformat(d.pop("expiresAt"))




        org_id = UUID(d.pop("orgId"))




        org_name = d.pop("orgName")

        org_slug = d.pop("orgSlug")

        role = OrgRole(d.pop("role"))




        inviter_email = d.pop("inviterEmail", UNSET)

        invite_preview = cls(
            email=email,
            expires_at=expires_at,
            org_id=org_id,
            org_name=org_name,
            org_slug=org_slug,
            role=role,
            inviter_email=inviter_email,
        )


        invite_preview.additional_properties = d
        return invite_preview

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

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






T = TypeVar("T", bound="OrgInvite")



@_attrs_define
class OrgInvite:
    """ An open invitation (never its token).

        Attributes:
            created_at (datetime.datetime): When it was created.
            email (str): The address it was sent to, lowercased.
            expired (bool): Whether its link has stopped working (resend it for a new one).
            expires_at (datetime.datetime): When its link stops working.
            id (UUID): The id.
            role (OrgRole): A member's role in an organization, lowest first.
            sent_at (datetime.datetime): When it was last sent (created or resent).
     """

    created_at: datetime.datetime
    email: str
    expired: bool
    expires_at: datetime.datetime
    id: UUID
    role: OrgRole
    sent_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        email = self.email

        expired = self.expired

        expires_at = self.expires_at.isoformat()

        id = str(self.id)

        role = self.role.value

        sent_at = self.sent_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "email": email,
            "expired": expired,
            "expiresAt": expires_at,
            "id": id,
            "role": role,
            "sentAt": sent_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        email = d.pop("email")

        expired = d.pop("expired")

        expires_at = datetime.datetime.fromisoformat(d.pop("expiresAt"))




        id = UUID(d.pop("id"))




        role = OrgRole(d.pop("role"))




        sent_at = datetime.datetime.fromisoformat(d.pop("sentAt"))




        org_invite = cls(
            created_at=created_at,
            email=email,
            expired=expired,
            expires_at=expires_at,
            id=id,
            role=role,
            sent_at=sent_at,
        )


        org_invite.additional_properties = d
        return org_invite

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.role import Role
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="User")



@_attrs_define
class User:
    """ A user account.

        Attributes:
            created_at (datetime.datetime): Registration time.
            email (str): Email address, lowercased.
            email_verified (bool): Whether the email address is confirmed (by the link emailed at registration, or by the
                operator who created the account). Accepting an organization's invite needs it.
            id (UUID): The id.
            role (Role): A user's role, lowest first.
            suspended (bool): Suspended accounts cannot log in or use keys.
            default_region (str | Unset): The region this user's jobs prefer when a submission has no `regionHint`; absent
                for any
                region.
     """

    created_at: datetime.datetime
    email: str
    email_verified: bool
    id: UUID
    role: Role
    suspended: bool
    default_region: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        email = self.email

        email_verified = self.email_verified

        id = str(self.id)

        role = self.role.value

        suspended = self.suspended

        default_region = self.default_region


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "email": email,
            "emailVerified": email_verified,
            "id": id,
            "role": role,
            "suspended": suspended,
        })
        if default_region is not UNSET:
            field_dict["defaultRegion"] = default_region

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        email = d.pop("email")

        email_verified = d.pop("emailVerified")

        id = UUID(d.pop("id"))




        role = Role(d.pop("role"))




        suspended = d.pop("suspended")

        default_region = d.pop("defaultRegion", UNSET)

        user = cls(
            created_at=created_at,
            email=email,
            email_verified=email_verified,
            id=id,
            role=role,
            suspended=suspended,
            default_region=default_region,
        )


        user.additional_properties = d
        return user

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

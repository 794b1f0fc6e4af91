from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.org_invite import OrgInvite





T = TypeVar("T", bound="InviteSent")



@_attrs_define
class InviteSent:
    """ An invite just sent or resent.

        Attributes:
            email_sent (bool): Whether the email went to a mail server. `false`: this server sends no email (its
                operator finds the link in the server's log), or the mail server refused it (resend it).
            invite (OrgInvite): An open invitation (never its token).
     """

    email_sent: bool
    invite: OrgInvite
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.org_invite import OrgInvite # noqa: PLC0415
        email_sent = self.email_sent

        invite = self.invite.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "emailSent": email_sent,
            "invite": invite,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.org_invite import OrgInvite # noqa: PLC0415
        d = dict(src_dict)
        email_sent = d.pop("emailSent")

        invite = OrgInvite.from_dict(d.pop("invite"))




        invite_sent = cls(
            email_sent=email_sent,
            invite=invite,
        )


        invite_sent.additional_properties = d
        return invite_sent

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

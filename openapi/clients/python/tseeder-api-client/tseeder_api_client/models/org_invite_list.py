from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.org_invite import OrgInvite





T = TypeVar("T", bound="OrgInviteList")



@_attrs_define
class OrgInviteList:
    """ `{invites}`.

        Attributes:
            invites (list[OrgInvite]): Invites neither accepted nor revoked (expired ones included), newest first.
     """

    invites: list[OrgInvite]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.org_invite import OrgInvite # noqa: PLC0415
        invites = []
        for invites_item_data in self.invites:
            invites_item = invites_item_data.to_dict()
            invites.append(invites_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "invites": invites,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.org_invite import OrgInvite # noqa: PLC0415
        d = dict(src_dict)
        invites = []
        _invites = d.pop("invites")
        for invites_item_data in (_invites):
            invites_item = OrgInvite.from_dict(invites_item_data)



            invites.append(invites_item)


        org_invite_list = cls(
            invites=invites,
        )


        org_invite_list.additional_properties = d
        return org_invite_list

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.org_role import OrgRole
from typing import cast

if TYPE_CHECKING:
  from ..models.org import Org





T = TypeVar("T", bound="CurrentOrg")



@_attrs_define
class CurrentOrg:
    """ The organization a request acts in (`X-Org-Slug`, the API key's, or the caller's personal
    one), with the caller's role there.

        Attributes:
            org (Org): An organization.
            role (OrgRole): A member's role in an organization, lowest first.
     """

    org: Org
    role: OrgRole
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.org import Org # noqa: PLC0415
        org = self.org.to_dict()

        role = self.role.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "org": org,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.org import Org # noqa: PLC0415
        d = dict(src_dict)
        org = Org.from_dict(d.pop("org"))




        role = OrgRole(d.pop("role"))




        current_org = cls(
            org=org,
            role=role,
        )


        current_org.additional_properties = d
        return current_org

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

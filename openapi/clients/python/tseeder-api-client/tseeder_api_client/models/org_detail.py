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
  from ..models.admin_usage import AdminUsage
  from ..models.bandwidth import Bandwidth
  from ..models.org import Org
  from ..models.org_member import OrgMember
  from ..models.org_member_usage import OrgMemberUsage
  from ..models.plan import Plan





T = TypeVar("T", bound="OrgDetail")



@_attrs_define
class OrgDetail:
    """ An organization with its members, the caller's role, its plan and what it uses.

        Attributes:
            bandwidth (Bandwidth): An organization's metered transfer this calendar month (UTC): bytes its jobs downloaded
                (a
                job counts its size once, when it completes) and bytes served from its files (downloads,
                streams, zip archives, signed links). Once `usedBytes` reaches `limitBytes`, new jobs and
                downloads get 429 `quota_bandwidth` until `resetsAt`.
            member_usage (list[OrgMemberUsage]): What each member's jobs use: every member's for owners, admins and staff;
                only the
                caller's own for members.
            members (list[OrgMember]): Every member, owners first, then by join time.
            org (Org): An organization.
            usage (AdminUsage): Consumption: a user's (in every organization), an organization's, or one member's within it.
            plan (Plan | Unset): A subscription plan. Limits are absent when unlimited.
            role (OrgRole | Unset): A member's role in an organization, lowest first.
     """

    bandwidth: Bandwidth
    member_usage: list[OrgMemberUsage]
    members: list[OrgMember]
    org: Org
    usage: AdminUsage
    plan: Plan | Unset = UNSET
    role: OrgRole | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.admin_usage import AdminUsage # noqa: PLC0415
        from ..models.bandwidth import Bandwidth # noqa: PLC0415
        from ..models.org import Org # noqa: PLC0415
        from ..models.org_member import OrgMember # noqa: PLC0415
        from ..models.org_member_usage import OrgMemberUsage # noqa: PLC0415
        from ..models.plan import Plan # noqa: PLC0415
        bandwidth = self.bandwidth.to_dict()

        member_usage = []
        for member_usage_item_data in self.member_usage:
            member_usage_item = member_usage_item_data.to_dict()
            member_usage.append(member_usage_item)



        members = []
        for members_item_data in self.members:
            members_item = members_item_data.to_dict()
            members.append(members_item)



        org = self.org.to_dict()

        usage = self.usage.to_dict()

        plan: dict[str, Any] | Unset = UNSET
        if not isinstance(self.plan, Unset):
            plan = self.plan.to_dict()

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "bandwidth": bandwidth,
            "memberUsage": member_usage,
            "members": members,
            "org": org,
            "usage": usage,
        })
        if plan is not UNSET:
            field_dict["plan"] = plan
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.admin_usage import AdminUsage # noqa: PLC0415
        from ..models.bandwidth import Bandwidth # noqa: PLC0415
        from ..models.org import Org # noqa: PLC0415
        from ..models.org_member import OrgMember # noqa: PLC0415
        from ..models.org_member_usage import OrgMemberUsage # noqa: PLC0415
        from ..models.plan import Plan # noqa: PLC0415
        d = dict(src_dict)
        bandwidth = Bandwidth.from_dict(d.pop("bandwidth"))




        member_usage = []
        _member_usage = d.pop("memberUsage")
        for member_usage_item_data in (_member_usage):
            member_usage_item = OrgMemberUsage.from_dict(member_usage_item_data)



            member_usage.append(member_usage_item)


        members = []
        _members = d.pop("members")
        for members_item_data in (_members):
            members_item = OrgMember.from_dict(members_item_data)



            members.append(members_item)


        org = Org.from_dict(d.pop("org"))




        usage = AdminUsage.from_dict(d.pop("usage"))




        _plan = d.pop("plan", UNSET)
        plan: Plan | Unset
        if isinstance(_plan,  Unset):
            plan = UNSET
        else:
            plan = Plan.from_dict(_plan)




        _role = d.pop("role", UNSET)
        role: OrgRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = OrgRole(_role)




        org_detail = cls(
            bandwidth=bandwidth,
            member_usage=member_usage,
            members=members,
            org=org,
            usage=usage,
            plan=plan,
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

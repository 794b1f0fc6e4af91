from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.admin_usage import AdminUsage
  from ..models.api_key import ApiKey
  from ..models.page_audit_entry import PageAuditEntry
  from ..models.page_job import PageJob
  from ..models.plan import Plan
  from ..models.session_info import SessionInfo
  from ..models.user import User





T = TypeVar("T", bound="AdminUserDetail")



@_attrs_define
class AdminUserDetail:
    """ Everything an operator sees of one user.

        Attributes:
            api_keys (list[ApiKey]): API keys that are not revoked.
            audit (PageAuditEntry): One page of a list.
            jobs (PageJob): One page of a list.
            sessions (list[SessionInfo]): Live sessions, newest first.
            usage (AdminUsage): Consumption: a user's (in every organization), an organization's, or one member's within it.
            user (User): A user account.
            plan (Plan | Unset): A subscription plan. Limits are absent when unlimited.
     """

    api_keys: list[ApiKey]
    audit: PageAuditEntry
    jobs: PageJob
    sessions: list[SessionInfo]
    usage: AdminUsage
    user: User
    plan: Plan | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.admin_usage import AdminUsage # noqa: PLC0415
        from ..models.api_key import ApiKey # noqa: PLC0415
        from ..models.page_audit_entry import PageAuditEntry # noqa: PLC0415
        from ..models.page_job import PageJob # noqa: PLC0415
        from ..models.plan import Plan # noqa: PLC0415
        from ..models.session_info import SessionInfo # noqa: PLC0415
        from ..models.user import User # noqa: PLC0415
        api_keys = []
        for api_keys_item_data in self.api_keys:
            api_keys_item = api_keys_item_data.to_dict()
            api_keys.append(api_keys_item)



        audit = self.audit.to_dict()

        jobs = self.jobs.to_dict()

        sessions = []
        for sessions_item_data in self.sessions:
            sessions_item = sessions_item_data.to_dict()
            sessions.append(sessions_item)



        usage = self.usage.to_dict()

        user = self.user.to_dict()

        plan: dict[str, Any] | Unset = UNSET
        if not isinstance(self.plan, Unset):
            plan = self.plan.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "apiKeys": api_keys,
            "audit": audit,
            "jobs": jobs,
            "sessions": sessions,
            "usage": usage,
            "user": user,
        })
        if plan is not UNSET:
            field_dict["plan"] = plan

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.admin_usage import AdminUsage # noqa: PLC0415
        from ..models.api_key import ApiKey # noqa: PLC0415
        from ..models.page_audit_entry import PageAuditEntry # noqa: PLC0415
        from ..models.page_job import PageJob # noqa: PLC0415
        from ..models.plan import Plan # noqa: PLC0415
        from ..models.session_info import SessionInfo # noqa: PLC0415
        from ..models.user import User # noqa: PLC0415
        d = dict(src_dict)
        api_keys = []
        _api_keys = d.pop("apiKeys")
        for api_keys_item_data in (_api_keys):
            api_keys_item = ApiKey.from_dict(api_keys_item_data)



            api_keys.append(api_keys_item)


        audit = PageAuditEntry.from_dict(d.pop("audit"))




        jobs = PageJob.from_dict(d.pop("jobs"))




        sessions = []
        _sessions = d.pop("sessions")
        for sessions_item_data in (_sessions):
            sessions_item = SessionInfo.from_dict(sessions_item_data)



            sessions.append(sessions_item)


        usage = AdminUsage.from_dict(d.pop("usage"))




        user = User.from_dict(d.pop("user"))




        _plan = d.pop("plan", UNSET)
        plan: Plan | Unset
        if isinstance(_plan,  Unset):
            plan = UNSET
        else:
            plan = Plan.from_dict(_plan)




        admin_user_detail = cls(
            api_keys=api_keys,
            audit=audit,
            jobs=jobs,
            sessions=sessions,
            usage=usage,
            user=user,
            plan=plan,
        )


        admin_user_detail.additional_properties = d
        return admin_user_detail

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

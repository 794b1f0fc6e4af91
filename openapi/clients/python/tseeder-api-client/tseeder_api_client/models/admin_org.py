from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.org import Org





T = TypeVar("T", bound="AdminOrg")



@_attrs_define
class AdminOrg:
    """ An organization as operators list it.

        Attributes:
            active_jobs (int): Its jobs in an active status (queued, running or paused).
            members (int): How many members it has.
            org (Org): An organization.
            owner_email (str): The email of its longest-standing owner, whose plan it runs on.
            storage_bytes (int): Bytes of its jobs' stored files.
            plan_id (str | Unset): The id of that plan; absent when the owner has none.
     """

    active_jobs: int
    members: int
    org: Org
    owner_email: str
    storage_bytes: int
    plan_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.org import Org # noqa: PLC0415
        active_jobs = self.active_jobs

        members = self.members

        org = self.org.to_dict()

        owner_email = self.owner_email

        storage_bytes = self.storage_bytes

        plan_id = self.plan_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "activeJobs": active_jobs,
            "members": members,
            "org": org,
            "ownerEmail": owner_email,
            "storageBytes": storage_bytes,
        })
        if plan_id is not UNSET:
            field_dict["planId"] = plan_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.org import Org # noqa: PLC0415
        d = dict(src_dict)
        active_jobs = d.pop("activeJobs")

        members = d.pop("members")

        org = Org.from_dict(d.pop("org"))




        owner_email = d.pop("ownerEmail")

        storage_bytes = d.pop("storageBytes")

        plan_id = d.pop("planId", UNSET)

        admin_org = cls(
            active_jobs=active_jobs,
            members=members,
            org=org,
            owner_email=owner_email,
            storage_bytes=storage_bytes,
            plan_id=plan_id,
        )


        admin_org.additional_properties = d
        return admin_org

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="OrgMemberUsage")



@_attrs_define
class OrgMemberUsage:
    """ What one member's jobs in an organization use.

        Attributes:
            active_jobs (int): Their jobs there in an active status (queued, running or paused).
            storage_bytes (int): Bytes of their jobs' stored files there.
            total_jobs (int): Their jobs there.
            user_id (UUID): The member's user id.
     """

    active_jobs: int
    storage_bytes: int
    total_jobs: int
    user_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active_jobs = self.active_jobs

        storage_bytes = self.storage_bytes

        total_jobs = self.total_jobs

        user_id = str(self.user_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "activeJobs": active_jobs,
            "storageBytes": storage_bytes,
            "totalJobs": total_jobs,
            "userId": user_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active_jobs = d.pop("activeJobs")

        storage_bytes = d.pop("storageBytes")

        total_jobs = d.pop("totalJobs")

        user_id = UUID(d.pop("userId"))




        org_member_usage = cls(
            active_jobs=active_jobs,
            storage_bytes=storage_bytes,
            total_jobs=total_jobs,
            user_id=user_id,
        )


        org_member_usage.additional_properties = d
        return org_member_usage

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

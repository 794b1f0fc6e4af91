from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.bandwidth import Bandwidth
  from ..models.plan import Plan





T = TypeVar("T", bound="Usage")



@_attrs_define
class Usage:
    """ An organization's plan and consumption.

        Attributes:
            active_jobs (int): Jobs that count towards the plan's job limit (queued, running or paused).
            bandwidth (Bandwidth): An organization's metered transfer this calendar month (UTC): bytes its jobs downloaded
                (a
                job counts its size once, when it completes) and bytes served from its files (downloads,
                streams, zip archives, signed links). Once `usedBytes` reaches `limitBytes`, new jobs and
                downloads get 429 `quota_bandwidth` until `resetsAt`.
            plan (Plan): A subscription plan. Limits are absent when unlimited.
            storage_used_bytes (int): Bytes of stored files.
            total_jobs (int): Every job kept.
     """

    active_jobs: int
    bandwidth: Bandwidth
    plan: Plan
    storage_used_bytes: int
    total_jobs: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.bandwidth import Bandwidth # noqa: PLC0415
        from ..models.plan import Plan # noqa: PLC0415
        active_jobs = self.active_jobs

        bandwidth = self.bandwidth.to_dict()

        plan = self.plan.to_dict()

        storage_used_bytes = self.storage_used_bytes

        total_jobs = self.total_jobs


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "activeJobs": active_jobs,
            "bandwidth": bandwidth,
            "plan": plan,
            "storageUsedBytes": storage_used_bytes,
            "totalJobs": total_jobs,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bandwidth import Bandwidth # noqa: PLC0415
        from ..models.plan import Plan # noqa: PLC0415
        d = dict(src_dict)
        active_jobs = d.pop("activeJobs")

        bandwidth = Bandwidth.from_dict(d.pop("bandwidth"))




        plan = Plan.from_dict(d.pop("plan"))




        storage_used_bytes = d.pop("storageUsedBytes")

        total_jobs = d.pop("totalJobs")

        usage = cls(
            active_jobs=active_jobs,
            bandwidth=bandwidth,
            plan=plan,
            storage_used_bytes=storage_used_bytes,
            total_jobs=total_jobs,
        )


        usage.additional_properties = d
        return usage

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.worker_status import WorkerStatus
from typing import cast
import datetime






T = TypeVar("T", bound="HeartbeatRecord")



@_attrs_define
class HeartbeatRecord:
    """ One heartbeat in a worker's history.

        Attributes:
            active_jobs (int): Jobs it ran.
            bandwidth_bps (int): Transfer rate, bytes per second.
            cpu_pct (float): CPU use, 0 to 100.
            disk_free_bytes (int): Free bytes on its download disk.
            disk_total_bytes (int): Size of its download disk, in bytes.
            max_jobs (int): Its capacity.
            received_at (datetime.datetime): When the server received it.
            status (WorkerStatus): A worker's status. `healthy` and `offline` follow heartbeats; `draining` and `cordoned`
                are set
                by an operator, and only an operator clears them.
     """

    active_jobs: int
    bandwidth_bps: int
    cpu_pct: float
    disk_free_bytes: int
    disk_total_bytes: int
    max_jobs: int
    received_at: datetime.datetime
    status: WorkerStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active_jobs = self.active_jobs

        bandwidth_bps = self.bandwidth_bps

        cpu_pct = self.cpu_pct

        disk_free_bytes = self.disk_free_bytes

        disk_total_bytes = self.disk_total_bytes

        max_jobs = self.max_jobs

        received_at = self.received_at.isoformat()

        status = self.status.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "activeJobs": active_jobs,
            "bandwidthBps": bandwidth_bps,
            "cpuPct": cpu_pct,
            "diskFreeBytes": disk_free_bytes,
            "diskTotalBytes": disk_total_bytes,
            "maxJobs": max_jobs,
            "receivedAt": received_at,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active_jobs = d.pop("activeJobs")

        bandwidth_bps = d.pop("bandwidthBps")

        cpu_pct = d.pop("cpuPct")

        disk_free_bytes = d.pop("diskFreeBytes")

        disk_total_bytes = d.pop("diskTotalBytes")

        max_jobs = d.pop("maxJobs")

        received_at = datetime.datetime.fromisoformat(d.pop("receivedAt"))




        status = WorkerStatus(d.pop("status"))




        heartbeat_record = cls(
            active_jobs=active_jobs,
            bandwidth_bps=bandwidth_bps,
            cpu_pct=cpu_pct,
            disk_free_bytes=disk_free_bytes,
            disk_total_bytes=disk_total_bytes,
            max_jobs=max_jobs,
            received_at=received_at,
            status=status,
        )


        heartbeat_record.additional_properties = d
        return heartbeat_record

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.worker_status import WorkerStatus
from typing import cast
import datetime






T = TypeVar("T", bound="Worker")



@_attrs_define
class Worker:
    """ A remote compute agent, as of its latest heartbeat.

        Attributes:
            active_jobs (int): Jobs it runs now.
            bandwidth_bps (int): Transfer rate, bytes per second.
            base_url (str): Its public base URL.
            cpu_pct (float): CPU use, 0 to 100.
            disk_free_bytes (int): Free bytes on its download disk.
            disk_total_bytes (int): Size of its download disk, in bytes.
            id (str): The agent's own id.
            last_heartbeat_at (datetime.datetime): When the server received its latest heartbeat.
            load_factor (float): `activeJobs / maxJobs`: 0 is idle, 1 is full (1 as well when `maxJobs` is 0).
            max_jobs (int): Jobs it runs at most.
            region (str): Where it runs.
            registered_at (datetime.datetime): When the server received its first heartbeat.
            stale (bool): Whether its latest heartbeat is older than the server's `agents.stale_after_secs`; a stale
                worker gets no work.
            status (WorkerStatus): A worker's status. `healthy` and `offline` follow heartbeats; `draining` and `cordoned`
                are set
                by an operator, and only an operator clears them.
            version (str): Its software version.
     """

    active_jobs: int
    bandwidth_bps: int
    base_url: str
    cpu_pct: float
    disk_free_bytes: int
    disk_total_bytes: int
    id: str
    last_heartbeat_at: datetime.datetime
    load_factor: float
    max_jobs: int
    region: str
    registered_at: datetime.datetime
    stale: bool
    status: WorkerStatus
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active_jobs = self.active_jobs

        bandwidth_bps = self.bandwidth_bps

        base_url = self.base_url

        cpu_pct = self.cpu_pct

        disk_free_bytes = self.disk_free_bytes

        disk_total_bytes = self.disk_total_bytes

        id = self.id

        last_heartbeat_at = self.last_heartbeat_at.isoformat()

        load_factor = self.load_factor

        max_jobs = self.max_jobs

        region = self.region

        registered_at = self.registered_at.isoformat()

        stale = self.stale

        status = self.status.value

        version = self.version


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "activeJobs": active_jobs,
            "bandwidthBps": bandwidth_bps,
            "baseUrl": base_url,
            "cpuPct": cpu_pct,
            "diskFreeBytes": disk_free_bytes,
            "diskTotalBytes": disk_total_bytes,
            "id": id,
            "lastHeartbeatAt": last_heartbeat_at,
            "loadFactor": load_factor,
            "maxJobs": max_jobs,
            "region": region,
            "registeredAt": registered_at,
            "stale": stale,
            "status": status,
            "version": version,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active_jobs = d.pop("activeJobs")

        bandwidth_bps = d.pop("bandwidthBps")

        base_url = d.pop("baseUrl")

        cpu_pct = d.pop("cpuPct")

        disk_free_bytes = d.pop("diskFreeBytes")

        disk_total_bytes = d.pop("diskTotalBytes")

        id = d.pop("id")

        last_heartbeat_at = datetime.datetime.fromisoformat(d.pop("lastHeartbeatAt"))




        load_factor = d.pop("loadFactor")

        max_jobs = d.pop("maxJobs")

        region = d.pop("region")

        registered_at = datetime.datetime.fromisoformat(d.pop("registeredAt"))




        stale = d.pop("stale")

        status = WorkerStatus(d.pop("status"))




        version = d.pop("version")

        worker = cls(
            active_jobs=active_jobs,
            bandwidth_bps=bandwidth_bps,
            base_url=base_url,
            cpu_pct=cpu_pct,
            disk_free_bytes=disk_free_bytes,
            disk_total_bytes=disk_total_bytes,
            id=id,
            last_heartbeat_at=last_heartbeat_at,
            load_factor=load_factor,
            max_jobs=max_jobs,
            region=region,
            registered_at=registered_at,
            stale=stale,
            status=status,
            version=version,
        )


        worker.additional_properties = d
        return worker

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

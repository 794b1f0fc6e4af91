from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Heartbeat")



@_attrs_define
class Heartbeat:
    """ What an agent reports every few seconds. The server stamps it with its own clock.

        Attributes:
            active_jobs (int): Jobs it runs now (at most 100000).
            bandwidth_bps (int): Current transfer rate, bytes per second (download and upload together).
            base_url (str): Its public base URL (`http` or `https`, no credentials, query or fragment).
            cpu_pct (float): CPU use of the whole machine, 0 to 100.
            disk_free_bytes (int): Free bytes on its download disk.
            disk_total_bytes (int): Size of its download disk, in bytes.
            max_jobs (int): Jobs it runs at most; 0 means it takes no work (at most 100000).
            region (str): Where it runs: 1 to 32 characters of lowercase letters, digits and `-`.
            version (str): Its software version (1 to 64 printable ASCII characters).
            worker_id (str): The agent's id: 1 to 64 characters of ASCII letters, digits, `.`, `_` and `-`.
     """

    active_jobs: int
    bandwidth_bps: int
    base_url: str
    cpu_pct: float
    disk_free_bytes: int
    disk_total_bytes: int
    max_jobs: int
    region: str
    version: str
    worker_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active_jobs = self.active_jobs

        bandwidth_bps = self.bandwidth_bps

        base_url = self.base_url

        cpu_pct = self.cpu_pct

        disk_free_bytes = self.disk_free_bytes

        disk_total_bytes = self.disk_total_bytes

        max_jobs = self.max_jobs

        region = self.region

        version = self.version

        worker_id = self.worker_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "activeJobs": active_jobs,
            "bandwidthBps": bandwidth_bps,
            "baseUrl": base_url,
            "cpuPct": cpu_pct,
            "diskFreeBytes": disk_free_bytes,
            "diskTotalBytes": disk_total_bytes,
            "maxJobs": max_jobs,
            "region": region,
            "version": version,
            "workerId": worker_id,
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

        max_jobs = d.pop("maxJobs")

        region = d.pop("region")

        version = d.pop("version")

        worker_id = d.pop("workerId")

        heartbeat = cls(
            active_jobs=active_jobs,
            bandwidth_bps=bandwidth_bps,
            base_url=base_url,
            cpu_pct=cpu_pct,
            disk_free_bytes=disk_free_bytes,
            disk_total_bytes=disk_total_bytes,
            max_jobs=max_jobs,
            region=region,
            version=version,
            worker_id=worker_id,
        )


        heartbeat.additional_properties = d
        return heartbeat

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

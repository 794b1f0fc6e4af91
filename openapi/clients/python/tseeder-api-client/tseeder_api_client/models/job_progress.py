from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="JobProgress")



@_attrs_define
class JobProgress:
    """ `event: progress` (no id): a live snapshot from the engine, not stored.

        Attributes:
            done_bytes (int): Bytes of the selected files downloaded and verified.
            download_bps (int): Download speed, bytes per second.
            peers (int): Connected peers.
            total_bytes (int): Bytes of the selected files in total.
            upload_bps (int): Upload speed, bytes per second.
            eta_secs (int | Unset): Estimated seconds to completion; absent when unknown.
            progress_pct (float | Unset): 0 to 100, two decimals; absent while the total is unknown (zero).
     """

    done_bytes: int
    download_bps: int
    peers: int
    total_bytes: int
    upload_bps: int
    eta_secs: int | Unset = UNSET
    progress_pct: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        done_bytes = self.done_bytes

        download_bps = self.download_bps

        peers = self.peers

        total_bytes = self.total_bytes

        upload_bps = self.upload_bps

        eta_secs = self.eta_secs

        progress_pct = self.progress_pct


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "doneBytes": done_bytes,
            "downloadBps": download_bps,
            "peers": peers,
            "totalBytes": total_bytes,
            "uploadBps": upload_bps,
        })
        if eta_secs is not UNSET:
            field_dict["etaSecs"] = eta_secs
        if progress_pct is not UNSET:
            field_dict["progressPct"] = progress_pct

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        done_bytes = d.pop("doneBytes")

        download_bps = d.pop("downloadBps")

        peers = d.pop("peers")

        total_bytes = d.pop("totalBytes")

        upload_bps = d.pop("uploadBps")

        eta_secs = d.pop("etaSecs", UNSET)

        progress_pct = d.pop("progressPct", UNSET)

        job_progress = cls(
            done_bytes=done_bytes,
            download_bps=download_bps,
            peers=peers,
            total_bytes=total_bytes,
            upload_bps=upload_bps,
            eta_secs=eta_secs,
            progress_pct=progress_pct,
        )


        job_progress.additional_properties = d
        return job_progress

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Bandwidth")



@_attrs_define
class Bandwidth:
    """ An organization's metered transfer this calendar month (UTC): bytes its jobs downloaded (a
    job counts its size once, when it completes) and bytes served from its files (downloads,
    streams, zip archives, signed links). Once `usedBytes` reaches `limitBytes`, new jobs and
    downloads get 429 `quota_bandwidth` until `resetsAt`.

        Attributes:
            downloaded_bytes (int): Downloaded by jobs.
            month (str): The month counted, `YYYY-MM`.
            resets_at (datetime.datetime): When the count starts again from zero: the first instant of the next month.
            served_bytes (int): Served from stored files.
            used_bytes (int): Downloaded plus served: what the limit applies to.
            limit_bytes (int | Unset): The plan's monthly limit; absent when unlimited (or when there is no plan).
     """

    downloaded_bytes: int
    month: str
    resets_at: datetime.datetime
    served_bytes: int
    used_bytes: int
    limit_bytes: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        downloaded_bytes = self.downloaded_bytes

        month = self.month

        resets_at = self.resets_at.isoformat()

        served_bytes = self.served_bytes

        used_bytes = self.used_bytes

        limit_bytes = self.limit_bytes


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "downloadedBytes": downloaded_bytes,
            "month": month,
            "resetsAt": resets_at,
            "servedBytes": served_bytes,
            "usedBytes": used_bytes,
        })
        if limit_bytes is not UNSET:
            field_dict["limitBytes"] = limit_bytes

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        downloaded_bytes = d.pop("downloadedBytes")

        month = d.pop("month")

        resets_at = datetime.datetime.fromisoformat(d.pop("resetsAt"))




        served_bytes = d.pop("servedBytes")

        used_bytes = d.pop("usedBytes")

        limit_bytes = d.pop("limitBytes", UNSET)

        bandwidth = cls(
            downloaded_bytes=downloaded_bytes,
            month=month,
            resets_at=resets_at,
            served_bytes=served_bytes,
            used_bytes=used_bytes,
            limit_bytes=limit_bytes,
        )


        bandwidth.additional_properties = d
        return bandwidth

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

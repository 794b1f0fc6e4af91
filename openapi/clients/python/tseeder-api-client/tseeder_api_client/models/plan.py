from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="Plan")



@_attrs_define
class Plan:
    """ A subscription plan. Limits are absent when unlimited.

        Attributes:
            id (str): Plan id: `free`, `pro`, `business`, `enterprise`...
            name (str): Display name (the id: plans are named by it).
            price_cents (int): Monthly price in cents.
            bandwidth_bytes (int | Unset): Monthly transfer.
            max_file_size_bytes (int | Unset): Largest single file.
            max_jobs (int | Unset): Concurrent active jobs.
            max_storage_bytes (int | Unset): Total stored bytes.
            retention_days (int | Unset): Days files are kept after completion.
     """

    id: str
    name: str
    price_cents: int
    bandwidth_bytes: int | Unset = UNSET
    max_file_size_bytes: int | Unset = UNSET
    max_jobs: int | Unset = UNSET
    max_storage_bytes: int | Unset = UNSET
    retention_days: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        price_cents = self.price_cents

        bandwidth_bytes = self.bandwidth_bytes

        max_file_size_bytes = self.max_file_size_bytes

        max_jobs = self.max_jobs

        max_storage_bytes = self.max_storage_bytes

        retention_days = self.retention_days


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "priceCents": price_cents,
        })
        if bandwidth_bytes is not UNSET:
            field_dict["bandwidthBytes"] = bandwidth_bytes
        if max_file_size_bytes is not UNSET:
            field_dict["maxFileSizeBytes"] = max_file_size_bytes
        if max_jobs is not UNSET:
            field_dict["maxJobs"] = max_jobs
        if max_storage_bytes is not UNSET:
            field_dict["maxStorageBytes"] = max_storage_bytes
        if retention_days is not UNSET:
            field_dict["retentionDays"] = retention_days

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        price_cents = d.pop("priceCents")

        bandwidth_bytes = d.pop("bandwidthBytes", UNSET)

        max_file_size_bytes = d.pop("maxFileSizeBytes", UNSET)

        max_jobs = d.pop("maxJobs", UNSET)

        max_storage_bytes = d.pop("maxStorageBytes", UNSET)

        retention_days = d.pop("retentionDays", UNSET)

        plan = cls(
            id=id,
            name=name,
            price_cents=price_cents,
            bandwidth_bytes=bandwidth_bytes,
            max_file_size_bytes=max_file_size_bytes,
            max_jobs=max_jobs,
            max_storage_bytes=max_storage_bytes,
            retention_days=retention_days,
        )


        plan.additional_properties = d
        return plan

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

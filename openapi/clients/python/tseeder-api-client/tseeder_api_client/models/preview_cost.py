from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="PreviewCost")



@_attrs_define
class PreviewCost:
    """ What the whole torrent would cost against the caller's plan.

        Attributes:
            active_jobs (int): The caller's jobs in an active status now.
            fits (bool): Whether submitting every file now would pass the plan's checks.
            plan (str): The caller's plan.
            storage_used_bytes (int): Bytes the caller stores now.
            max_active_jobs (int | Unset): The plan's limit on active jobs; null for unlimited.
            max_file_size_bytes (int | Unset): The plan's limit on one file; null for unlimited.
            refusal (str | Unset): Why it would not (the message a submission would get); null when it fits.
            storage_left_bytes (int | Unset): Bytes left before the limit; null for unlimited.
            storage_limit_bytes (int | Unset): The plan's storage limit; null for unlimited.
     """

    active_jobs: int
    fits: bool
    plan: str
    storage_used_bytes: int
    max_active_jobs: int | Unset = UNSET
    max_file_size_bytes: int | Unset = UNSET
    refusal: str | Unset = UNSET
    storage_left_bytes: int | Unset = UNSET
    storage_limit_bytes: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active_jobs = self.active_jobs

        fits = self.fits

        plan = self.plan

        storage_used_bytes = self.storage_used_bytes

        max_active_jobs = self.max_active_jobs

        max_file_size_bytes = self.max_file_size_bytes

        refusal = self.refusal

        storage_left_bytes = self.storage_left_bytes

        storage_limit_bytes = self.storage_limit_bytes


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "activeJobs": active_jobs,
            "fits": fits,
            "plan": plan,
            "storageUsedBytes": storage_used_bytes,
        })
        if max_active_jobs is not UNSET:
            field_dict["maxActiveJobs"] = max_active_jobs
        if max_file_size_bytes is not UNSET:
            field_dict["maxFileSizeBytes"] = max_file_size_bytes
        if refusal is not UNSET:
            field_dict["refusal"] = refusal
        if storage_left_bytes is not UNSET:
            field_dict["storageLeftBytes"] = storage_left_bytes
        if storage_limit_bytes is not UNSET:
            field_dict["storageLimitBytes"] = storage_limit_bytes

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active_jobs = d.pop("activeJobs")

        fits = d.pop("fits")

        plan = d.pop("plan")

        storage_used_bytes = d.pop("storageUsedBytes")

        max_active_jobs = d.pop("maxActiveJobs", UNSET)

        max_file_size_bytes = d.pop("maxFileSizeBytes", UNSET)

        refusal = d.pop("refusal", UNSET)

        storage_left_bytes = d.pop("storageLeftBytes", UNSET)

        storage_limit_bytes = d.pop("storageLimitBytes", UNSET)

        preview_cost = cls(
            active_jobs=active_jobs,
            fits=fits,
            plan=plan,
            storage_used_bytes=storage_used_bytes,
            max_active_jobs=max_active_jobs,
            max_file_size_bytes=max_file_size_bytes,
            refusal=refusal,
            storage_left_bytes=storage_left_bytes,
            storage_limit_bytes=storage_limit_bytes,
        )


        preview_cost.additional_properties = d
        return preview_cost

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

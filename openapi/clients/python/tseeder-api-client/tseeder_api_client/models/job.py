from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.job_status import JobStatus
from ..models.source_kind import SourceKind
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Job")



@_attrs_define
class Job:
    """ A download job. The magnet URI (trackers may carry passkeys) and the torrent bytes are never
    sent back.

        Attributes:
            created_at (datetime.datetime): Submission time.
            done_bytes (int): Bytes downloaded so far.
            id (UUID): The id.
            infohash (str): The torrent's infohash, 40 lowercase hex characters.
            name (str): Display name.
            org_id (UUID): The organization it belongs to: its quota pays for it, its owners and admins see it.
            source_kind (SourceKind): What a job was submitted from.
            status (JobStatus): Where a job is in its life.
            updated_at (datetime.datetime): Last change.
            user_id (UUID): The owner (who submitted it, or the member it was handed to).
            completed_at (datetime.datetime | Unset): Completion time.
            error (str | Unset): Why the job failed.
            progress_pct (float | Unset): Progress from 0 to 100; absent while the size is unknown.
            region_hint (str | Unset): The region the job prefers to run in, if one was asked for.
            total_bytes (int | Unset): Total payload size, once known.
            worker_id (str | Unset): The compute worker running the job.
     """

    created_at: datetime.datetime
    done_bytes: int
    id: UUID
    infohash: str
    name: str
    org_id: UUID
    source_kind: SourceKind
    status: JobStatus
    updated_at: datetime.datetime
    user_id: UUID
    completed_at: datetime.datetime | Unset = UNSET
    error: str | Unset = UNSET
    progress_pct: float | Unset = UNSET
    region_hint: str | Unset = UNSET
    total_bytes: int | Unset = UNSET
    worker_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        done_bytes = self.done_bytes

        id = str(self.id)

        infohash = self.infohash

        name = self.name

        org_id = str(self.org_id)

        source_kind = self.source_kind.value

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        user_id = str(self.user_id)

        completed_at: str | Unset = UNSET
        if not isinstance(self.completed_at, Unset):
            completed_at = self.completed_at.isoformat()

        error = self.error

        progress_pct = self.progress_pct

        region_hint = self.region_hint

        total_bytes = self.total_bytes

        worker_id = self.worker_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "doneBytes": done_bytes,
            "id": id,
            "infohash": infohash,
            "name": name,
            "orgId": org_id,
            "sourceKind": source_kind,
            "status": status,
            "updatedAt": updated_at,
            "userId": user_id,
        })
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at
        if error is not UNSET:
            field_dict["error"] = error
        if progress_pct is not UNSET:
            field_dict["progressPct"] = progress_pct
        if region_hint is not UNSET:
            field_dict["regionHint"] = region_hint
        if total_bytes is not UNSET:
            field_dict["totalBytes"] = total_bytes
        if worker_id is not UNSET:
            field_dict["workerId"] = worker_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        done_bytes = d.pop("doneBytes")

        id = UUID(d.pop("id"))




        infohash = d.pop("infohash")

        name = d.pop("name")

        org_id = UUID(d.pop("orgId"))




        source_kind = SourceKind(d.pop("sourceKind"))




        status = JobStatus(d.pop("status"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        user_id = UUID(d.pop("userId"))




        _completed_at = d.pop("completedAt", UNSET)
        completed_at: datetime.datetime | Unset
        if isinstance(_completed_at,  Unset):
            completed_at = UNSET
        else:
            completed_at = datetime.datetime.fromisoformat(_completed_at)




        error = d.pop("error", UNSET)

        progress_pct = d.pop("progressPct", UNSET)

        region_hint = d.pop("regionHint", UNSET)

        total_bytes = d.pop("totalBytes", UNSET)

        worker_id = d.pop("workerId", UNSET)

        job = cls(
            created_at=created_at,
            done_bytes=done_bytes,
            id=id,
            infohash=infohash,
            name=name,
            org_id=org_id,
            source_kind=source_kind,
            status=status,
            updated_at=updated_at,
            user_id=user_id,
            completed_at=completed_at,
            error=error,
            progress_pct=progress_pct,
            region_hint=region_hint,
            total_bytes=total_bytes,
            worker_id=worker_id,
        )


        job.additional_properties = d
        return job

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
